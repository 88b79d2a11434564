using System.Text.Json.Nodes;
using HierReason.Backends;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Strategies;
using HierReason.Reasoning.Strategies.Search;
using HierReason.Retrieval;
using HierReason.Training.Rewards;

namespace HierReason.Reasoning.Tests.Strategies.Search;

public class ThinkerSearcherTests
{
    private static EpisodeStrategy Create(JsonObject? options, IModelBackend? searcher = null)
    {
        var models = new Dictionary<string, IModelBackend>();
        if (searcher is not null) models["searcher"] = searcher;
        return StrategyRegistry.Default.Create("thinker_searcher", new StrategyContext(
            StrategyCatalog.Default.Get("thinker_searcher", null, "$").Options(options, null, "$"), models));
    }

    private static Task<IReadOnlyList<Episode>> Run(EpisodeStrategy strategy, IReadOnlyList<TaskItem> items, int group = 1, Func<Episode, string>? thinker = null) =>
        new EpisodeRunner(new ScriptedThinker(thinker ?? SearchFixtures.GoldQueryThinker), strategy, new EpisodeLimits(4096)).RunAsync(items, group, seed: 1);

    private static double Correct(Episode e, EpisodeStrategy s) =>
        RewardRegistry.Default.Create("correctness").Score(new RewardContext(e, SearchFixtures.Task, 4096, s.Answers));

    [Theory]
    [InlineData("oracle")]
    [InlineData("extractive")]
    public async Task The_gold_queries_answered_by_a_scripted_searcher_lead_to_the_right_answer(string searcher)
    {
        var items = Enumerable.Range(0, 6).Select(i => SearchFixtures.Item(i)).ToArray();
        var strategy = Create(new JsonObject { ["searcher"] = searcher });
        var episodes = await Run(strategy, items);
        Assert.All(episodes, e =>
        {
            Assert.Equal([Actor.Prompt, Actor.Policy, Actor.Searcher, Actor.Policy, Actor.Searcher, Actor.Policy], e.Segments.Select(s => s.Actor));
            Assert.Equal(1.0, Correct(e, strategy));
            Assert.Equal((2.0, 1.0, 1.0, 2.0, 0.0), (e.Stats[SearchNotes.Searches], e.Stats[SearchNotes.GoldDocsRetrieved], e.Stats[SearchNotes.InformationHasAnswer],
                e.Stats[SearchNotes.SearcherTurns], e.Stats[SearchNotes.SearcherTokens]));
        });
    }

    [Fact]
    public async Task The_oracle_gives_the_sentence_of_the_hops_gold_document_that_names_subject_and_object()
    {
        var item = SearchFixtures.Item(3);
        var meta = SearchFixtures.Meta(item);
        var e = (await Run(Create(new JsonObject { ["searcher"] = "oracle" }), [item], thinker: ep => ep.PolicyTurns switch
        {
            0 => "<search>something unrelated</search>", // not a gold query: the next hop (the first) is answered
            1 => $"<search>{meta.Hops[1].Query}</search>",
            _ => "<answer>x</answer>",
        }))[0];
        for (var hop = 0; hop < 2; hop++)
        {
            var inserted = e.Segments[2 + 2 * hop];
            var sentence = inserted.Text.Trim()["<information>".Length..^"</information>".Length];
            Assert.Contains(meta.Hops[hop].Subject, sentence, StringComparison.Ordinal);
            Assert.Contains(meta.Hops[hop].Object, sentence, StringComparison.Ordinal);
            Assert.EndsWith(".", sentence, StringComparison.Ordinal);
            Assert.Equal(meta.Hops[hop].DocId, inserted.Metadata![SearchNotes.DocIds]);
        }
    }

    [Fact]
    public async Task The_extractive_searcher_returns_a_sentence_of_the_bm25_top_document()
    {
        var item = SearchFixtures.Item(4);
        var world = WorldIndex.Build(SearchFixtures.Meta(item).World);
        var query = SearchFixtures.Meta(item).Hops[0].Query;
        var episode = new Episode(new Segment(Actor.Prompt, "q"), item).Append(new Segment(Actor.Policy, $"<search>{query}</search>"));
        var reply = (await new ExtractiveSearcher(new WorldRetrievers()).AnswerAsync([new SearchRequest(episode, query)], default))[0];
        var top = world.Search(query, 1)[0].Document;
        Assert.Equal([top.Id], reply.DocIds);
        Assert.Contains(reply.Information, SearchText.Sentences(top.Text));
        Assert.Equal(SearchText.BestSentence(top.Text, query), reply.Information);
        Assert.Equal("Mara Quell was born in Oskar.", SearchText.BestSentence("Mara Quell is a baker. Mara Quell was born in Oskar. Mara Quell works for Zentrix Labs.", "Where was Mara Quell born?"));
    }

    [Fact]
    public async Task The_extractive_searcher_finds_the_fact_of_almost_every_gold_hop_query()
    {
        // 1-, 2- and 3-hop chains and comparisons: every hop's gold query, one batch.
        var items = new[] { 0, 1, 2, 3 }.SelectMany(level => Enumerable.Range(0, 15).Select(i => SearchFixtures.Item(i, level))).ToArray();
        var requests = items.SelectMany(item => SearchFixtures.Meta(item).Hops.Select(h =>
            (Hop: h, Request: new SearchRequest(new Episode(new Segment(Actor.Prompt, "q"), item), h.Query)))).ToArray();
        var replies = await new ExtractiveSearcher(new WorldRetrievers()).AnswerAsync(requests.Select(r => r.Request).ToArray(), default);
        var found = requests.Zip(replies).Count(p => p.Second.Information.Contains(p.First.Hop.Object, StringComparison.Ordinal));
        Assert.True(found >= 0.95 * requests.Length, $"{found} of {requests.Length}: " + string.Join("\n", requests.Zip(replies).Where(p => !p.Second.Information.Contains(p.First.Hop.Object, StringComparison.Ordinal)).Select(p => $"{p.First.Hop.Query} [{p.First.Hop.DocId}] -> {p.Second.DocIds[0]}: {p.Second.Information}")));
        Assert.Equal(requests.Length, found); // today's worlds: all
    }

    [Fact]
    public async Task Every_searcher_round_is_one_batched_call_over_the_open_queries_of_all_episodes()
    {
        TaskItem[] items = [SearchFixtures.Item(0), SearchFixtures.Item(1), SearchFixtures.Item(2)];
        // The searcher searches the query it was given (its stop string cut the closing tag), then answers with the first
        // sentence of the top passage it read.
        var model = new ScriptedSearcherModel(messages => messages.Count == 2
            ? $"<think>look it up</think><search>{messages[1].Content["Query: ".Length..]}"
            : "<answer>" + FirstSentence(messages[^1].Content) + "</answer>");
        var strategy = Create(null, model);
        var episodes = await Run(strategy, items, group: 2, thinker: e => e.PolicyTurns < 2 ? $"<search>{SearchFixtures.Meta(e.Item!).Hops[e.PolicyTurns].Query}</search>" : "<answer>x</answer>");

        // Two thinker searches per episode, each a searcher loop of two rounds (search, then answer): four calls of six conversations.
        Assert.Equal(4, model.Calls.Count);
        Assert.All(model.Calls, call => Assert.Equal(6, call.Length));
        Assert.All(model.Calls[0], c => Assert.Equal(("system", ModelSearcher.SystemPrompt), (c[0].Role, c[0].Content)));
        Assert.All(episodes, e =>
        {
            Assert.Equal([Actor.Prompt, Actor.Policy, Actor.Searcher, Actor.Policy, Actor.Searcher, Actor.Policy], e.Segments.Select(s => s.Actor));
            Assert.Equal((4.0, 4.0 * ScriptedSearcherModel.TokensPerReply), (e.Stats[SearchNotes.SearcherTurns], e.Stats[SearchNotes.SearcherTokens]));
            // The searcher's passages and its own tags stay out of the thinker's sequence; its trajectory is in the metadata.
            var summary = e.Segments[2];
            Assert.DoesNotContain("Doc 1(Title:", summary.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("<think>", summary.Text, StringComparison.Ordinal);
            Assert.Contains("Doc 1(Title:", summary.Metadata![SearchNotes.SearcherTrajectory], StringComparison.Ordinal);
            Assert.Equal(3, summary.Metadata[SearchNotes.DocIds].Split(',').Length);
        });
        var passages = SearchR1Format.Passages(WorldIndex.Build(SearchFixtures.Meta(items[0]).World).Search(SearchFixtures.Meta(items[0]).Hops[0].Query, 3));
        Assert.Equal(SearchAction.Information(FirstSentence(passages)), episodes[0].Segments[2].Text);
    }

    /// <summary>The first sentence of the first passage of Search-R1 passages text (inside information tags or not).</summary>
    private static string FirstSentence(string passages)
    {
        var line = passages.Split('\n')[0];
        return SearchText.Sentences(line[(line.IndexOf(") ", StringComparison.Ordinal) + 2)..])[0];
    }

    [Fact]
    public async Task A_searcher_that_never_answers_gets_the_forced_prompt_then_the_unable_fallback()
    {
        var model = new ScriptedSearcherModel(_ => "<search>more please</search>");
        var strategy = Create(new JsonObject { ["searcher_max_turns"] = 2 }, model);
        var e = (await Run(strategy, [SearchFixtures.Item(0), SearchFixtures.Item(1)], thinker: ep => ep.PolicyTurns == 0 ? "<search>who?</search>" : "<answer>x</answer>"))[0];

        Assert.Equal(3, model.Calls.Count); // two search rounds, then the forced answer
        Assert.Equal(ModelSearcher.ForcedAnswerPrompt, model.Calls[2][0][^1].Content);
        Assert.Equal(SearchAction.Information(ModelSearcher.Unable), e.Segments[2].Text);
        Assert.Equal((3.0, 3.0 * ScriptedSearcherModel.TokensPerReply), (e.Stats[SearchNotes.SearcherTurns], e.Stats[SearchNotes.SearcherTokens]));
    }

    [Fact]
    public async Task Stats_of_a_hand_checked_episode()
    {
        // Turns: nonsense (invalid), hop 1 (oracle), hop 2 (oracle), the answer: 4 judged turns, 1 invalid.
        var item = SearchFixtures.Item(5);
        var meta = SearchFixtures.Meta(item);
        var strategy = Create(new JsonObject { ["searcher"] = "oracle" });
        var e = (await Run(strategy, [item], thinker: ep => ep.PolicyTurns switch
        {
            0 => "Let me think first.",
            1 => $"<search>{meta.Hops[0].Query}</search>",
            2 => $"<search>{meta.Hops[1].Query}</search>",
            _ => $"<answer>{item.Answer}</answer>",
        }))[0];
        Assert.Equal([Actor.Prompt, Actor.Policy, Actor.Environment, Actor.Policy, Actor.Searcher, Actor.Policy, Actor.Searcher, Actor.Policy], e.Segments.Select(s => s.Actor));
        var expected = new Dictionary<string, double>
        {
            [SearchNotes.Searches] = 2,
            [SearchNotes.InvalidActions] = 1,
            [SearchNotes.ValidActionRate] = 0.75,
            [SearchNotes.GoldDocsRetrieved] = 1,
            [SearchNotes.InformationHasAnswer] = 1,
            [SearchNotes.SearcherTokens] = 0,
            [SearchNotes.SearcherTurns] = 2,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), e.Stats.OrderBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key, Math.Round(p.Value, 12))));

        // After the first hop only: half the chain's documents, and the answer not yet read.
        var half = (await Run(strategy, [item], thinker: ep => ep.PolicyTurns == 0 ? $"<search>{meta.Hops[0].Query}</search>" : "<answer>x</answer>"))[0];
        Assert.Equal((0.5, 0.0, 1.0), (half.Stats[SearchNotes.GoldDocsRetrieved], half.Stats[SearchNotes.InformationHasAnswer], half.Stats[SearchNotes.ValidActionRate]));
    }

    [Fact]
    public void Gold_episodes_carry_the_oracle_sentence_as_masked_searcher_text()
    {
        var item = SearchFixtures.Item(1);
        var meta = SearchFixtures.Meta(item);
        var gold = StrategyRegistry.Default.Create("thinker_searcher", StrategyContext.ForGold(
            StrategyCatalog.Default.Get("thinker_searcher", null, "$").Options(null, null, "$"))).Gold(item)!;
        Assert.Equal([Actor.Policy, Actor.Searcher, Actor.Policy, Actor.Searcher, Actor.Policy], gold.Select(s => s.Actor));
        var world = WorldIndex.Build(meta.World);
        Assert.Equal(SearchAction.Information(OracleSearcher.Sentence(world, meta.Hops[0])), gold[1].Text);
        Assert.Equal(SearchAction.Information(OracleSearcher.Sentence(world, meta.Hops[1])), gold[3].Text);
        Assert.Contains(item.Answer, gold[3].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalog_needs_the_searcher_role_only_for_a_model_searcher()
    {
        var descriptor = StrategyCatalog.Default.Get("thinker_searcher", null, "$");
        Assert.Equal(["thinker", "searcher"], descriptor.Roles);
        Assert.Equal("thinker", descriptor.PolicyRole);
        Assert.Equal("""{"top_k":3,"max_turns":4,"searcher":"model","searcher_max_turns":2,"searcher_max_tokens":400}""", descriptor.Options(null, null, "$").ToJsonString());
        Assert.Equal(["thinker", "searcher"], descriptor.RolesFor(descriptor.Options(null, null, "$")));
        Assert.Equal(["thinker"], descriptor.RolesFor(descriptor.Options(new JsonObject { ["searcher"] = "extractive" }, null, "$")));
        Assert.Equal(["model"], StrategyCatalog.Default.Get("flat_search", null, "$").Roles);
        Assert.Equal("""{"top_k":3,"max_turns":4,"retriever_url":"http://127.0.0.1:8000/retrieve"}""",
            StrategyCatalog.Default.Get("flat_search", null, "$").Options(new JsonObject { ["retriever_url"] = "http://127.0.0.1:8000/retrieve" }, null, "$").ToJsonString());
        Assert.Contains("no model for the role 'searcher'", Assert.Throws<InvalidOperationException>(() => Create(null)).Message);
        Assert.IsType<ExtractiveSearcher>(Assert.IsType<SearchEnvironment>(Create(new JsonObject { ["searcher"] = "extractive" }).Environment).Searcher);
        Assert.Equal(Actor.Searcher, Assert.IsType<SearchEnvironment>(Create(new JsonObject { ["searcher"] = "oracle" }).Environment).Writer);
    }

    [Theory]
    [InlineData("thinker_searcher", "top_k", "0", "an integer in [1, 10]")]
    [InlineData("thinker_searcher", "top_k", "11", "an integer in [1, 10]")]
    [InlineData("thinker_searcher", "max_turns", "17", "an integer in [1, 16]")]
    [InlineData("thinker_searcher", "searcher", "\"bm25\"", "\"model\", \"extractive\" or \"oracle\"")]
    [InlineData("thinker_searcher", "searcher_max_turns", "9", "an integer in [1, 8]")]
    [InlineData("thinker_searcher", "searcher_max_tokens", "2.5", "an integer in [1, 8192]")]
    [InlineData("thinker_searcher", "retriever_url", "\"ftp://x\"", "an http(s) URL")]
    [InlineData("thinker_searcher", "topk", "3", "one of the options top_k, max_turns, searcher")]
    [InlineData("flat_search", "searcher", "\"oracle\"", "one of the options top_k, max_turns, retriever_url")]
    [InlineData("flat_search", "max_turns", "0", "an integer in [1, 16]")]
    public void A_bad_option_names_its_file_path_and_expectation(string strategy, string key, string value, string expected)
    {
        var options = new JsonObject { [key] = JsonNode.Parse(value) };
        var e = Assert.Throws<ConfigException>(() => StrategyCatalog.Default.Get(strategy, null, "$").Options(options, "models.json", "$.models[1].options"));
        Assert.StartsWith($"models.json: $.models[1].options.{key}: expected", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
