using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Commands;

/// <summary><c>hierreason perf search-context</c>: episode lengths with flat documents against searcher summaries.</summary>
public sealed class PerfSearchContextCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-search-context-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Writes_every_level_with_flat_episodes_longer_than_summarised_ones_hop_by_hop()
    {
        var output = Path.Combine(_dir, "search_context.json");
        var run = await CliRun.Of("perf", "search-context", "--n", "8", "--json", "--output", output);
        Assert.Equal(0, run.ExitCode);
        var report = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Equal(JsonNode.Parse(run.Out)!.ToJsonString(), report.ToJsonString());
        Assert.Equal("multi_hop_lookup", (string)report["task"]!);
        Assert.Equal("test", (string)report["split"]!);
        Assert.Equal(3, (int)report["k"]!);
        Assert.Equal(1024, (int)report["positions"]!);
        Assert.NotNull(report["machine"]);
        var levels = report["levels"]!.AsArray();
        Assert.Equal([1, 2, 2, 3, 4], levels.Select(l => (int)l!["hops"]!));
        foreach (var level in levels)
        {
            Assert.Equal(8, (int)level!["items"]!);
            var prompt = (double)level["prompt"]!["mean"]!;
            Assert.True(prompt > 100, $"prompt mean {prompt}");
            var steps = level["steps"]!.AsArray();
            Assert.Equal(Enumerable.Range(1, (int)level["hops"]!).Append(0), steps.Select(s => (int)s!["hop"]!));
            var previous = prompt;
            foreach (var step in steps)
            {
                var (flat, summary) = (step!["flat"]!, step["summary"]!);
                Assert.True((double)flat["mean"]! > (double)summary["mean"]!, $"level {level["level"]} hop {step["hop"]}: flat {flat["mean"]} vs summary {summary["mean"]}");
                Assert.True((int)flat["max"]! >= (int)summary["max"]!);
                Assert.InRange((double)flat["over_budget"]!, (double)summary["over_budget"]!, 1.0);
                Assert.True((double)summary["mean"]! > previous);
                previous = (double)summary["mean"]!;
            }
        }
    }

    [Fact]
    public async Task Prints_a_markdown_table_and_refuses_a_task_without_documents_or_k_out_of_range()
    {
        var run = await CliRun.Of("perf", "search-context", "--n", "2", "--output", Path.Combine(_dir, "r.json"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("| level | after | flat mean |", run.Out);
        Assert.Contains("| | hop 4 |", run.Out);
        var legs = await CliRun.Of("perf", "search-context", "--task", "leg_counting", "--output", Path.Combine(_dir, "x.json"));
        Assert.Equal(2, legs.ExitCode);
        Assert.Contains("has no corpus", legs.Err);
        var noPassages = await CliRun.Of("perf", "search-context", "--k", "0", "--output", Path.Combine(_dir, "x.json"));
        Assert.Equal(2, noPassages.ExitCode);
        Assert.Equal("error: --k: expected 1-100; found 0", noPassages.Err.Trim());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
