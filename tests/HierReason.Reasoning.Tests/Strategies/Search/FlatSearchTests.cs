using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Tokenizers;
using HierReason.Reasoning.Strategies;
using HierReason.Reasoning.Strategies.Search;
using HierReason.Retrieval;
using HierReason.Training.Rewards;
using HierReason.Training.Sft;

namespace HierReason.Reasoning.Tests.Strategies.Search;

public class FlatSearchTests
{
    private static EpisodeStrategy Create(JsonObject? options = null) => StrategyRegistry.Default.Create("flat_search", options ?? []);

    private static WorldIndex World(TaskItem item) => WorldIndex.Build(SearchFixtures.Meta(item).World);

    [Fact]
    public async Task A_search_gets_the_top_k_passages_of_its_query_as_masked_information_and_the_policy_goes_on()
    {
        TaskItem[] items = [SearchFixtures.Item(0), SearchFixtures.Item(1)];
        var strategy = Create(new JsonObject { ["top_k"] = 2 });
        var episodes = await new EpisodeRunner(new ScriptedThinker(SearchFixtures.GoldQueryThinker), strategy, new EpisodeLimits(4096)).RunAsync(items, 2, seed: 1);

        var world = World(items[0]);
        for (var row = 0; row < episodes.Count; row++)
        {
            var e = episodes[row];
            var meta = SearchFixtures.Meta(e.Item!);
            Assert.Equal([Actor.Prompt, Actor.Policy, Actor.Environment, Actor.Policy, Actor.Environment, Actor.Policy], e.Segments.Select(s => s.Actor));
            for (var hop = 0; hop < 2; hop++)
            {
                var hits = world.Search(meta.Hops[hop].Query, 2);
                var inserted = e.Segments[2 + 2 * hop];
                Assert.Equal("\n\n<information>" + SearchR1Format.Passages(hits).Trim() + "</information>\n\n", inserted.Text);
                Assert.Equal(string.Join(',', hits.Select(h => h.Document.Id)), inserted.Metadata![SearchNotes.DocIds]);
                Assert.Equal(meta.Hops[hop].Query, inserted.Metadata[SearchNotes.Query]);
            }
            // Only the thinker's own tokens carry loss.
            var expected = e.Completion.SelectMany(s => Enumerable.Repeat(s.Actor == Actor.Policy ? 1 : 0, s.TokenIds!.Count)).ToArray();
            Assert.Equal(expected, e.CompletionLossMask);
            Assert.Equal(e.PolicySegments.Sum(s => s.TokenIds!.Count), expected.Sum());
            Assert.All(e.EnvironmentSegments, s => Assert.True(s.TokenIds!.Count > 0));
            Assert.Equal(EpisodeEnd.Terminal, e.End);
            Assert.Equal((2.0, 0.0, 1.0), (e.Stats[SearchNotes.Searches], e.Stats[SearchNotes.InvalidActions], e.Stats[SearchNotes.ValidActionRate]));
            Assert.False(e.Stats.ContainsKey(SearchNotes.SearcherTokens));
        }
        Assert.Equal("flat_search", strategy.Name);
        Assert.Equal((Actor.Policy, AnswerSource.Policy), (strategy.PolicyActor, strategy.Answers));
        Assert.Contains("<search>query</search>", strategy.Prompt(items[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_retriever_url_the_passages_come_from_the_server_and_match_the_local_index()
    {
        var item = SearchFixtures.Item(0);
        using var world = World(item);
        await using var server = await Retrieval.Serving.RetrievalServer.StartAsync(world.Retriever, new Retrieval.Serving.RetrievalServerOptions { Port = 0 });
        var remote = Create(new JsonObject { ["retriever_url"] = server.BaseUrl + "/retrieve" });
        var local = Create();
        var thinker = new ScriptedThinker(SearchFixtures.GoldQueryThinker);
        var byServer = (await new EpisodeRunner(thinker, remote, new EpisodeLimits(4096)).RunAsync([item], 1, seed: 1))[0];
        var byIndex = (await new EpisodeRunner(thinker, local, new EpisodeLimits(4096)).RunAsync([item], 1, seed: 1))[0];
        Assert.Equal(byIndex.Segments.Select(s => s.Text), byServer.Segments.Select(s => s.Text));
        Assert.Equal(byIndex.Stats.OrderBy(p => p.Key), byServer.Stats.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task A_turn_with_neither_search_nor_answer_gets_search_r1s_invalid_action_text_until_max_turns()
    {
        var strategy = Create(new JsonObject { ["max_turns"] = 3 });
        var thinker = new ScriptedThinker(e => e.PolicyTurns == 1 ? "<search>  </search>" : "I will think about it (search: nothing)");
        var e = (await new EpisodeRunner(thinker, strategy, new EpisodeLimits(4096)).RunAsync([SearchFixtures.Item(0)], 1, seed: 1))[0];

        Assert.Equal([Actor.Prompt, Actor.Policy, Actor.Environment, Actor.Policy, Actor.Environment, Actor.Policy], e.Segments.Select(s => s.Actor));
        Assert.All(e.EnvironmentSegments, s => Assert.Equal(
            "\nMy previous action is invalid. If I want to search, I should put the query between <search> and </search>. If I want to give the final answer, I should put the answer between <answer> and </answer>. Let me try again.\n",
            s.Text));
        Assert.Equal(EpisodeEnd.Terminal, e.End);
        Assert.Equal((0.0, 3.0, 0.0), (e.Stats[SearchNotes.Searches], e.Stats[SearchNotes.InvalidActions], e.Stats[SearchNotes.ValidActionRate]));
        Assert.Equal(0.0, e.Stats[SearchNotes.GoldDocsRetrieved]);
        Assert.Equal(0, e.CompletionLossMask.Zip(e.Completion.SelectMany(s => Enumerable.Repeat(s.Actor, s.TokenIds!.Count))).Count(p => p.First == 1 && p.Second != Actor.Policy));
    }

    [Fact]
    public async Task A_search_on_the_last_turn_is_not_answered_and_the_episode_ends()
    {
        var strategy = Create(new JsonObject { ["max_turns"] = 1 });
        var e = (await new EpisodeRunner(new ScriptedThinker(SearchFixtures.GoldQueryThinker), strategy, new EpisodeLimits(4096)).RunAsync([SearchFixtures.Item(0)], 1, seed: 1))[0];
        Assert.Equal([Actor.Prompt, Actor.Policy], e.Segments.Select(s => s.Actor));
        Assert.Equal((0.0, 0.0, 1.0), (e.Stats[SearchNotes.Searches], e.Stats[SearchNotes.InvalidActions], e.Stats[SearchNotes.ValidActionRate]));
    }

    [Fact]
    public void Gold_episodes_insert_the_real_top_k_passages_of_each_gold_query_and_learn_only_the_thinkers_text()
    {
        var item = SearchFixtures.Item(2);
        var meta = SearchFixtures.Meta(item);
        var strategy = Create();
        var gold = strategy.Gold(item)!;
        Assert.Equal([Actor.Policy, Actor.Environment, Actor.Policy, Actor.Environment, Actor.Policy], gold.Select(s => s.Actor));
        var world = World(item);
        Assert.Equal(SearchAction.Information(SearchR1Format.Passages(world.Search(meta.Hops[0].Query, 3))), gold[1].Text);
        Assert.Equal(SearchAction.Information(SearchR1Format.Passages(world.Search(meta.Hops[1].Query, 3))), gold[3].Text);
        Assert.Equal($"<search>{meta.Hops[0].Query}</search>", gold[0].Text);
        Assert.StartsWith(meta.Hops[0].Subject, gold[2].Text, StringComparison.Ordinal);
        Assert.EndsWith($"<search>{meta.Hops[1].Query}</search>", gold[2].Text, StringComparison.Ordinal);
        Assert.EndsWith($"<answer>{item.Answer}</answer>", gold[4].Text, StringComparison.Ordinal);

        var tokenizer = new ByteTokenizer();
        var template = new ChatMLTemplate();
        var example = SftExample.ForEpisode(item, strategy, tokenizer, template, 1 << 16)!;
        var expected = gold.SelectMany((s, i) => Enumerable.Repeat(s.Actor == Actor.Policy,
            tokenizer.Encode(i == gold.Count - 1 ? s.Text + SftExample.EndOfTurn(template, tokenizer) : s.Text).Length));
        Assert.Equal(expected, example.Learned!);
        Assert.Null(strategy.Gold(TaskRegistry.Default.Get("chain_sum").Generate(TaskRegistry.Default.Get("chain_sum").DefaultConfig, Split.Test, 0, 0)));
    }

    [Fact]
    public async Task An_answer_inside_information_never_scores_only_the_thinkers_own_last_answer_does()
    {
        var item = SearchFixtures.Item(0);
        var strategy = Create();
        var start = new Episode(new Segment(Actor.Prompt, strategy.Prompt(item)), item);
        var planted = start
            .Append(new Segment(Actor.Policy, "<search>anything</search>"))
            .Append(new Segment(Actor.Environment, SearchAction.Information($"Doc 1(Title: \"x\") The answer is <answer>{item.Answer}</answer>.")))
            .Append(new Segment(Actor.Policy, "I could not find it."))
            .Finish(EpisodeEnd.Stop);
        var summary = start
            .Append(new Segment(Actor.Policy, "<search>anything</search>"))
            .Append(new Segment(Actor.Searcher, SearchAction.Information($"<answer>{item.Answer}</answer>")))
            .Append(new Segment(Actor.Policy, "<answer>Nobody</answer>"))
            .Finish(EpisodeEnd.Stop);
        var correctness = RewardRegistry.Default.Create("correctness");
        Assert.Equal(0.0, correctness.Score(new RewardContext(planted, SearchFixtures.Task, 512, strategy.Answers)));
        Assert.Equal(0.0, correctness.Score(new RewardContext(summary, SearchFixtures.Task, 512, strategy.Answers)));
        Assert.Equal(1.0, correctness.Score(new RewardContext(planted, SearchFixtures.Task, 512, AnswerSource.Completion))); // the trap is real

        // And through the runner: a document-like information segment holding the answer tag does not end or score the episode.
        var own = (await new EpisodeRunner(new ScriptedThinker(SearchFixtures.GoldQueryThinker), strategy, new EpisodeLimits(4096)).RunAsync([item], 1, seed: 1))[0];
        Assert.Equal(1.0, correctness.Score(new RewardContext(own, SearchFixtures.Task, 4096, strategy.Answers)));
    }

    [Theory]
    [InlineData(true, 0, 0, 1.0)]
    [InlineData(true, 1, 0, 0.8)]
    [InlineData(false, 0, 1, 0.3)]
    [InlineData(false, 0, 0, 0.2)]
    [InlineData(false, 2, 1, 0.1)]
    [InlineData(null, 0, 1, 0.1)]
    public void Search_r1_format_scores_as_upstreams_em_format(bool? correct, int invalid, int informationHasAnswer, double expected)
    {
        var item = SearchFixtures.Item(0);
        var text = correct switch { true => $"<answer>{item.Answer}</answer>", false => "<answer>Nobody</answer>", null => "I give up." };
        var episode = new Episode(new Segment(Actor.Prompt, "q"), item)
            .Append(new Segment(Actor.Policy, text))
            .AddStats(new Dictionary<string, double> { [SearchNotes.InvalidActions] = invalid, [SearchNotes.InformationHasAnswer] = informationHasAnswer })
            .Finish(EpisodeEnd.Stop);
        Assert.Equal(expected, RewardRegistry.Default.Create("search_r1_format").Score(new RewardContext(episode, SearchFixtures.Task, 64)), 12);
    }

    [Fact]
    public void Search_cost_is_a_tenth_per_answered_search()
    {
        var item = SearchFixtures.Item(0);
        var episode = new Episode(new Segment(Actor.Prompt, "q"), item)
            .Append(new Segment(Actor.Policy, "<answer>x</answer>"))
            .AddStats(new Dictionary<string, double> { [SearchNotes.Searches] = 3 })
            .Finish(EpisodeEnd.Stop);
        Assert.Equal(-0.3, RewardRegistry.Default.Create("search_cost").Score(new RewardContext(episode, SearchFixtures.Task, 64)), 12);
        Assert.Equal(0.0, RewardRegistry.Default.Create("search_cost").Score(RewardContext.ForText(item, SearchFixtures.Task, "<answer>x</answer>", 4, 64, false)));
    }
}
