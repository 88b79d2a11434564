using System.Text.Json.Nodes;
using HierReason.Backends;
using HierReason.Backends.OpenAi;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Inference;
using HierReason.Reasoning.Strategies;
using HierReason.Reasoning.Strategies.Search;
using HierReason.Retrieval;

namespace HierReason.Cli.Tests.Commands;

/// <summary>
/// thinker_searcher with its searcher model behind <c>hierreason serve</c> and its documents behind
/// <c>hierreason retrieve serve</c>, each its own process on loopback, against the same strategy in-process (the local
/// engine and the world's own BM25 index): the episodes must be the same, text for text.
/// </summary>
public sealed class TwoProcessSearchTests(TinyModelFolder folder) : IClassFixture<TinyModelFolder>
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private static readonly IReasoningTask MultiHop = TaskRegistry.Default.Get("multi_hop_lookup");

    /// <summary>1- and 2-hop questions of one world (test split, world seed 0): the world `retrieve serve --level 1` serves.</summary>
    private static readonly TaskItem[] Items =
        [.. new[] { 0, 1 }.SelectMany(level => Enumerable.Range(0, 3).Select(i => MultiHop.Generate(MultiHop.Levels[level], Split.Test, 0, i, level)))];

    [Fact]
    public async Task A_searcher_against_serve_and_retrieve_serve_in_their_own_processes_writes_the_in_process_episodes()
    {
        Assert.Single(Items.Select(i => ((MultiHopLookupMetadata)i.Metadata).WorldId).Distinct());
        // "Pudran": a surname of this world (item 1's person and the distractors who share it).
        var searcherDir = folder.NewFolder("searching");
        SearchingModel.Write(searcherDir, "PUDRAN");
        await using var model = await CliServerProcess.StartAsync(["serve", "--model", searcherDir, "--served-model-name", "searcher", "--port", "0", "--threads", "1"], Startup);
        await using var retrieval = await CliServerProcess.StartAsync(
            ["retrieve", "serve", "--task", "multi_hop_lookup", "--split", "test", "--world-seed", "0", "--level", "1", "--port", "0"], Startup);

        // The served index is the world's own: every gold hop query gets the same documents with the same BM25 scores.
        var queries = Items.SelectMany(i => ((MultiHopLookupMetadata)i.Metadata).Hops.Select(h => h.Query)).ToArray();
        using (var world = WorldIndex.Build(((MultiHopLookupMetadata)Items[0].Metadata).World))
        using (var remote = new RemoteRetriever(retrieval.Url))
        {
            var served = await remote.RetrieveAsync(queries, 3, default);
            for (var q = 0; q < queries.Length; q++)
            {
                var local = world.Search(queries[q], 3);
                Assert.Equal(local.Select(h => h.Document), served[q].Select(h => h.Document));
                Assert.Equal(local.Select(h => h.Score), served[q].Select(h => h.Score), (a, b) => Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)));
            }
        }

        // The searcher model searches its one word, then fails the forced answer: its query goes to the retriever.
        // One passage and one search round keep the conversation inside the byte model's 1,024 positions, so both paths
        // generate the same text (A_searcher_conversation_past_the_context_ends_in_the_fallback covers the overflow).
        var options = new JsonObject { ["searcher"] = "model", ["top_k"] = 1, ["searcher_max_turns"] = 1, ["searcher_max_tokens"] = 24 };
        IReadOnlyList<Episode> inProcess, remoteEpisodes;
        await using (var local = new LocalModelBackend("searcher", LocalModel.Load(searcherDir)))
            inProcess = await Run(options, local);
        await using (var served = await OpenAiBackend.CreateAsync(new OpenAiBackendOptions { Name = "searcher", BaseUrl = model.Url, Model = "searcher", MaxRetries = 0 }))
            remoteEpisodes = await Run(Remote(options, retrieval.Url), served);
        AssertSame(inProcess, remoteEpisodes);
        Assert.All(remoteEpisodes.SelectMany(e => e.Segments).Where(s => s.Actor == Actor.Searcher), s =>
        {
            Assert.StartsWith("<search>PUDRAN PUDRAN", s.Metadata![SearchNotes.SearcherTrajectory].Split('\n')[1], StringComparison.Ordinal);
            Assert.NotEmpty(s.Metadata[SearchNotes.DocIds]);
        });

        // The extractive searcher sends the gold queries to the retriever, and the served documents' sentences reach the
        // thinker's <information>: every answer is right down both paths.
        var extractive = new JsonObject { ["searcher"] = "extractive" };
        var localExtractive = await Run(extractive, searcher: null);
        AssertSame(localExtractive, await Run(Remote(extractive, retrieval.Url), searcher: null));
        Assert.All(localExtractive, e => Assert.Equal(1.0, Score(e)));
    }

    [Fact]
    public async Task A_searcher_conversation_past_the_context_ends_in_the_fallback_instead_of_failing_the_batch()
    {
        // Three passages a round and three rounds of a searcher that only ever searches: its second prompt is past the
        // byte model's 1,024 positions (the engine refused the whole batch before the searcher fitted its calls).
        var searcherDir = folder.NewFolder("overflowing");
        SearchingModel.Write(searcherDir, "PUDRAN");
        var options = new JsonObject { ["searcher"] = "model", ["top_k"] = 3, ["searcher_max_turns"] = 3, ["searcher_max_tokens"] = 24 };
        await using var local = new LocalModelBackend("searcher", LocalModel.Load(searcherDir));

        var episodes = await Run(options, local);

        var replies = episodes.SelectMany(e => e.Segments).Where(s => s.Actor == Actor.Searcher).ToArray();
        Assert.Equal(Items.Sum(i => ((MultiHopLookupMetadata)i.Metadata).Hops.Count), replies.Length);
        Assert.All(replies, s =>
        {
            Assert.Equal(SearchAction.Information(ModelSearcher.Unable).Trim(), s.Text.Trim());
            // It searched (documents came back) and ran out of room before three full rounds plus the forced answer.
            Assert.NotEmpty(s.Metadata![SearchNotes.DocIds]);
            Assert.InRange(s.Metadata[SearchNotes.SearcherTrajectory].Split("<information>").Length - 1, 1, 2);
        });
    }

    private static JsonObject Remote(JsonObject options, string retrieverUrl)
    {
        var remote = (JsonObject)options.DeepClone();
        remote["retriever_url"] = retrieverUrl;
        return remote;
    }

    /// <summary>thinker_searcher over <see cref="Items"/> with the scripted thinker, built the way a job builds it (catalog options, then the registry).</summary>
    private static async Task<IReadOnlyList<Episode>> Run(JsonObject options, IModelBackend? searcher)
    {
        var models = new Dictionary<string, IModelBackend>();
        if (searcher is not null) models["searcher"] = searcher;
        var strategy = StrategyRegistry.Default.Create("thinker_searcher", new StrategyContext(
            StrategyCatalog.Default.Get("thinker_searcher", null, "$").Options(options, null, "$"), models));
        return await new EpisodeRunner(new GoldQueryThinker(), strategy, new EpisodeLimits(4096)).RunAsync(Items, 1, seed: 1);
    }

    private static double Score(Episode e) => MultiHop.Score(e.Answer(AnswerSource.Policy), e.Item!);

    private static void AssertSame(IReadOnlyList<Episode> expected, IReadOnlyList<Episode> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (a, b) = (expected[i], actual[i]);
            Assert.Equal(a.Segments.Select(s => (s.Actor, s.Text)), b.Segments.Select(s => (s.Actor, s.Text)));
            Assert.Equal(a.Segments.Select(Notes), b.Segments.Select(Notes));
            Assert.Equal(a.Stats.OrderBy(p => p.Key, StringComparer.Ordinal), b.Stats.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(a.Answer(AnswerSource.Policy), b.Answer(AnswerSource.Policy));
            Assert.Equal(Score(a), Score(b));
        }
    }

    /// <summary>A segment's metadata (the searcher's trajectory, the retrieved doc ids) as one comparable string.</summary>
    private static string Notes(Segment s) =>
        s.Metadata is null ? "" : string.Join("\n", s.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>
    /// A text thinker that searches the item's gold hop queries in order, then answers: the gold answer when the last
    /// summary it read names it, else that summary; its answer and score are whatever the searcher returned.
    /// </summary>
    private sealed class GoldQueryThinker : IEpisodePolicy
    {
        public bool UsesTokens => false;

        public Segment Prompt(string message) => new(Actor.Prompt, message);

        public IReadOnlyList<int>? Encode(string text) => null;

        public Task<IReadOnlyList<PolicyTurn>> WriteAsync(IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets,
            long? seed, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PolicyTurn>>(episodes.SelectMany(e => Enumerable.Repeat(Turn(e), samples)).ToArray());

        private static PolicyTurn Turn(Episode e)
        {
            var hops = ((MultiHopLookupMetadata)e.Item!.Metadata).Hops;
            var text = e.PolicyTurns < hops.Count
                ? $"<search>{hops[e.PolicyTurns].Query}</search>"
                : $"<answer>{(LastInformation(e) is var info && info.Contains(e.Item.Answer, StringComparison.Ordinal) ? e.Item.Answer : info)}</answer>";
            return new PolicyTurn(text, null, TurnEnd.EndAfter, text.Length);
        }

        private static string LastInformation(Episode e)
        {
            var text = e.Segments[^1].Text.Trim();
            return text.StartsWith("<information>", StringComparison.Ordinal) ? text["<information>".Length..^"</information>".Length].Trim() : "";
        }
    }
}
