using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Tasks;
using HierReason.Retrieval;
using HierReason.Retrieval.Index;
using HierReason.Retrieval.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason retrieve</c>: build a BM25 index of a corpus, query it, serve it over Search-R1's /retrieve contract.</summary>
public static class RetrieveCommands
{
    public static Command Build(IServiceProvider services)
    {
        var retrieve = new Command("retrieve", "BM25 retrieval (Lucene, k1 1.2, b 0.75) over a Search-R1 JSONL corpus or a task's generated world: index, query, serve /retrieve.");
        retrieve.Subcommands.Add(Index(services));
        retrieve.Subcommands.Add(Query(services));
        retrieve.Subcommands.Add(Serve(services));
        return retrieve;
    }

    private const string Sources = "--corpus FILE, --task NAME or --index DIR";

    private static Option<string?> IndexOption() => new("--index") { Description = "An index folder written by 'retrieve index' (instead of --corpus or --task)." };

    private static Option<int> KOption() => new("--k") { Description = $"Documents per query (1-{RetrieveContract.MaxTopK}).", DefaultValueFactory = _ => 3 };

    private static Command Index(IServiceProvider services)
    {
        var corpus = new CorpusSourceOptions();
        var output = new Option<string>("--output", "-o") { Description = "Folder of indexes; this corpus's goes in <out>/<corpus hash>.", DefaultValueFactory = _ => Path.Combine("artifacts", "indexes") }.WithOldSpellings("--out");
        var command = new Command("index", "Build the on-disk BM25 index of a corpus (reused when it is already there) and print its folder.") { output };
        foreach (var option in corpus.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var documents = corpus.Read(parse, services.GetRequiredService<TaskRegistry>());
            using var index = Bm25Index.OpenOrBuild(documents, parse.GetValue(output)!);
            console.Out.WriteLine($"{index.Count} documents indexed in {index.Path}");
            return 0;
        });
        return command;
    }

    private static Command Query(IServiceProvider services)
    {
        var corpus = new CorpusSourceOptions();
        var indexDir = IndexOption();
        var query = new Option<string>("--query") { Description = "The query text (any text: it is split into terms, never parsed as query syntax).", Required = true };
        var k = KOption();
        var json = new Option<bool>("--json") { Description = "Print Search-R1's /retrieve answer ({\"result\": [[{\"document\", \"score\"}]]}) instead of passages." };
        var command = new Command("query", "Search a corpus or an index and print the top-k passages as Search-R1 formats them.") { indexDir, query, k, json };
        foreach (var option in corpus.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var topK = CheckK(parse.GetValue(k));
            using var index = Open(parse, corpus, indexDir, services);
            var hits = index.Search(parse.GetValue(query)!, topK);
            if (parse.GetValue(json)) console.Out.WriteLine(RetrieveContract.Response([hits], returnScores: true).ToJsonString(HierJson.Indented));
            else if (hits.Count == 0) console.Out.WriteLine("no documents match (the query has no indexed terms)");
            else console.Out.Write(SearchR1Format.Passages(hits));
            return 0;
        });
        return command;
    }

    private static Command Serve(IServiceProvider services)
    {
        var corpus = new CorpusSourceOptions();
        var indexDir = IndexOption();
        var host = new Option<string>("--host") { Description = "Address to bind (0.0.0.0 exposes the server to the network).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8001 };
        var k = KOption();
        k.Description = "Documents per query when a request names no \"topk\".";
        var command = new Command("serve", "Serve a corpus over Search-R1's retrieval contract: POST /retrieve {\"queries\", \"topk\", \"return_scores\"}, GET /health.")
        {
            indexDir, host, port, k,
        };
        foreach (var option in corpus.All) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535) throw new HierReasonException($"--port: expected 0-65535; found {portValue}");
            using var index = Open(parse, corpus, indexDir, services);
            var options = new RetrievalServerOptions
            {
                Host = parse.GetValue(host)!,
                Port = portValue,
                DefaultTopK = CheckK(parse.GetValue(k)),
                LoggerFactory = services.GetRequiredService<ILoggerFactory>(),
            };
            await using var server = await RetrievalServer.StartAsync(new Bm25Retriever(index), options, cancellationToken);
            await console.Out.WriteLineAsync($"serving {index.Count} documents at {server.BaseUrl}/retrieve (Ctrl+C stops)");
            await console.Out.FlushAsync(cancellationToken);
            await server.WaitAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static int CheckK(int k) => k is >= 1 and <= RetrieveContract.MaxTopK
        ? k
        : throw new HierReasonException($"--k: expected 1-{RetrieveContract.MaxTopK}; found {k}");

    /// <summary>The corpus file or the task's world indexed in memory, or the index folder opened: exactly one of the three.</summary>
    private static Bm25Index Open(ParseResult parse, CorpusSourceOptions corpus, Option<string?> indexDir, IServiceProvider services)
    {
        if (parse.GetValue(indexDir) is not { } folder) return Bm25Index.InMemory(corpus.Read(parse, services.GetRequiredService<TaskRegistry>(), Sources));
        if (corpus.Given(parse)) throw new HierReasonException($"give exactly one of {Sources}");
        return Bm25Index.Open(folder);
    }
}
