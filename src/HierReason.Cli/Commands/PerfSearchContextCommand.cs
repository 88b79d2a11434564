using System.CommandLine;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Tasks;
using HierReason.Retrieval.Context;
using HierReason.Retrieval.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason perf search-context</c>: how long multi_hop_lookup's episodes grow in the tiny model's 1,024 positions
/// with flat top-k documents per search against one-sentence searcher summaries (issue 20).
/// </summary>
public static class PerfSearchContextCommand
{
    public static Command Build(IServiceProvider services)
    {
        var task = new Option<string>("--task") { Description = "The task (one with a corpus: multi_hop_lookup).", DefaultValueFactory = _ => "multi_hop_lookup" };
        var split = new Option<string>("--split") { Description = "train, validation or test.", DefaultValueFactory = _ => "test" };
        var n = new Option<int>("--n") { Description = "Items per level.", DefaultValueFactory = _ => 200 };
        var k = new Option<int>("--k") { Description = "Passages a flat search inserts (Search-R1's top-k).", DefaultValueFactory = _ => 3 };
        var positions = new Option<int>("--positions") { Description = "The model's context in tokens (the tiny model's 1,024).", DefaultValueFactory = _ => 1024 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of Markdown." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/search_context.json" }.WithOldSpellings("--out");
        var command = new Command("search-context",
            "Per level and hop, the bytes (tiny byte-tokenizer tokens) of the vanilla prompt plus the gold trace when each search inserts " +
            "the flat top-k BM25 passages or only the hop's sentence (a searcher's summary), and the share of items past the model's positions.")
        {
            task, split, n, k, positions, json, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var name = parse.GetValue(task)!;
            if (services.GetRequiredService<TaskRegistry>().Get(name) is not MultiHopLookupTask lookup)
                throw new HierReasonException($"--task: '{name}' has no corpus to search (tasks with documents: multi_hop_lookup)");
            var count = parse.GetValue(n);
            if (count is < 1 or > 100_000) throw new HierReasonException($"--n: expected an integer in [1, 100000]; found {count}");
            var topK = parse.GetValue(k);
            if (topK is < 1 or > RetrieveContract.MaxTopK) throw new HierReasonException($"--k: expected 1-{RetrieveContract.MaxTopK}; found {topK}");
            var report = SearchContextMeasurement.Run(lookup, Splits.Parse(parse.GetValue(split)!), count, topK, parse.GetValue(positions));
            PerfCommands.WriteReport(console, JsonSerializer.SerializeToNode(report, HierJson.Indented)!.AsObject(), report.ToMarkdown(), parse.GetValue(output)!, parse.GetValue(json));
            return 0;
        });
        return command;
    }
}
