using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Taxonomies;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Strategies;
using HierReason.Reasoning.Strategies.Thinking;

namespace HierReason.Reasoning.Tests.Strategies.Thinking;

/// <summary>Seed 000's loop as an environment: choices, thoughts, forced Finish, shuffled options, answers and their sources.</summary>
public sealed class TaxonomyEnvironmentTests
{
    private static readonly IReasoningTask Task = TaskRegistry.Default.Get("chain_sum");

    // "a + b + c" chains of one-digit terms: two operations each.
    private static readonly TaskItem[] Items = TaskDataset.Create(Task, Split.Test, 3, 4,
        Task.ParseConfig(new JsonObject { ["min_terms"] = 3, ["max_terms"] = 3, ["min_digits"] = 1, ["max_digits"] = 1 }, null, "$", Task.Levels[0])).ToArray();

    private static EpisodeStrategy Scripted(int maxSteps = 10, bool shuffle = false) => StrategyRegistry.Default.Create(TaxonomyStrategy.Name, new JsonObject
    {
        ["taxonomy"] = "scripted", ["reasoner"] = "scripted", ["shuffle"] = shuffle, ["max_steps"] = maxSteps,
    });

    [Fact]
    public async Task Compute_then_finish_answers_the_chain_and_each_thought_keeps_its_type()
    {
        // Unshuffled codes: A Compute, B Check, C Guess, D Finish thinking.
        var episodes = await Run(Scripted(), ["A", "A", "D"]);
        foreach (var episode in episodes)
        {
            Assert.Equal(1.0, Task.Score(episode.Answer(AnswerSource.Environment)!, episode.Item!));
            Assert.Equal(["compute", "compute", "finish"], TaxonomyNotes.Types(episode.Segments.Select(s => s.Metadata)));
            Assert.Equal((2.0, 0.0, 0.0), (episode.Stats[TaxonomyNotes.Thoughts], episode.Stats[TaxonomyNotes.ForcedFinish], episode.Stats[TaxonomyNotes.ChoiceParseFailed]));
            Assert.EndsWith("Left: none" + TaxonomyPrompts.NextCue, episode.Segments[^3].Text);
            Assert.Equal(EpisodeEnd.Terminal, episode.End);
            // The chooser's own turns are the codes; only they are policy tokens.
            Assert.Equal(["A", "A", "D"], episode.PolicySegments.Select(s => s.Text));
        }
    }

    [Fact]
    public async Task A_guess_breaks_the_answer_until_a_check_repairs_it()
    {
        var guessed = await Run(Scripted(), ["A", "C", "A", "D"]);
        var repaired = await Run(Scripted(), ["A", "C", "B", "A", "D"]);
        Assert.Contains(guessed, e => Task.Score(e.Answer(AnswerSource.Environment)!, e.Item!) == 0);
        Assert.All(repaired, e => Assert.Equal(1.0, Task.Score(e.Answer(AnswerSource.Environment)!, e.Item!)));
    }

    [Fact]
    public async Task Finish_is_forced_after_max_steps_minus_one_thoughts()
    {
        var episodes = await Run(Scripted(maxSteps: 3), ["B", "B", "B", "B", "B"]);
        foreach (var episode in episodes)
        {
            Assert.Equal(2, episode.PolicyTurns);
            Assert.Equal((2.0, 1.0), (episode.Stats[TaxonomyNotes.Thoughts], episode.Stats[TaxonomyNotes.ForcedFinish]));
            Assert.Contains("<answer>", episode.Segments[^1].Text);
            Assert.Equal(EpisodeEnd.Terminal, episode.End);
        }
    }

    [Fact]
    public async Task An_unknown_choice_falls_back_to_the_first_option_and_a_label_counts_as_its_option()
    {
        var episodes = await Run(Scripted(), ["compute", "zzz", "finish thinking"]);
        foreach (var episode in episodes)
        {
            Assert.Equal(["compute", "compute", "finish"], TaxonomyNotes.Types(episode.Segments.Select(s => s.Metadata)));
            Assert.Equal(1.0, episode.Stats[TaxonomyNotes.ChoiceParseFailed]);
            // A text chooser wrote the label itself: the environment does not repeat it.
            Assert.StartsWith("\n", episode.Segments[2].Text);
        }
    }

    [Fact]
    public async Task A_thought_cannot_carry_the_answer_only_the_final_segment_can()
    {
        var strategy = TaxonomyStrategy.Create(TaxonomyOptions.From(new JsonObject { ["taxonomy"] = "scripted", ["shuffle"] = false }), new ScriptedBackend());
        var episode = (await new EpisodeRunner(new TextChooser(["A", "D"]), strategy, new EpisodeLimits(64)).RunAsync(Items[..1], 1, null))[0];
        Assert.DoesNotContain("<answer>", episode.Segments[2].Text);
        Assert.Equal("41", episode.Answer(AnswerSource.Environment));
        Assert.Null(episode.Answer(AnswerSource.Policy));
    }

    [Fact]
    public void Shuffled_options_differ_between_items_are_fixed_per_item_and_keep_finish_last()
    {
        var environment = (TaxonomyEnvironment)TaxonomyStrategy.ForGold(TaxonomyOptions.From(new JsonObject { ["taxonomy"] = "default", ["level"] = 1 })).Environment!;
        var orders = Items.Select(i => string.Join(",", environment.OptionsFor(i).Select(o => o.Type?.Id ?? "finish"))).ToArray();
        Assert.True(orders.Distinct().Count() > 1, string.Join(" | ", orders));
        Assert.Equal(orders, Items.Select(i => string.Join(",", environment.OptionsFor(i).Select(o => o.Type?.Id ?? "finish"))));
        Assert.All(Items, i => Assert.Null(environment.OptionsFor(i)[^1].Type));
        Assert.All(Items, i => Assert.Equal(9, environment.OptionsFor(i).Count));
        var first = environment.OptionsFor(Items[0]);
        Assert.Contains($"{first[0].Code}. {first[0].Type!.Label}: {first[0].Type!.Description}", environment.Prompt(Items[0]));
        Assert.Contains($"I. {Taxonomy.FinishLabel}: {Taxonomy.FinishDescription}", environment.Prompt(Items[0]));
    }

    [Fact]
    public void The_scripted_reasoner_refuses_a_taxonomy_it_does_not_know()
    {
        var ex = Assert.Throws<HierReasonException>(() => StrategyRegistry.Default.Create(TaxonomyStrategy.Name, new JsonObject { ["taxonomy"] = "default", ["reasoner"] = "scripted" }));
        Assert.Contains("scripted reasoner", ex.Message);
    }

    [Fact]
    public void Options_name_the_file_and_path_of_a_bad_value()
    {
        var level = Assert.Throws<ConfigException>(() => TaxonomyOptions.Check(new JsonObject { ["taxonomy"] = "scripted", ["level"] = 1 }, "models.json", "$.models[2].options"));
        Assert.Equal(("models.json", "$.models[2].options.level"), (level.File, level.JsonPath));
        var steps = Assert.Throws<ConfigException>(() => TaxonomyOptions.Check(new JsonObject { ["max_steps"] = 17 }, "models.json", "$.o"));
        Assert.Equal("$.o.max_steps", steps.JsonPath);
        var missing = Assert.Throws<ConfigException>(() => TaxonomyOptions.Check(new JsonObject { ["taxonomy"] = "no/such.json" }, "/tmp/m/models.json", "$.o"));
        Assert.Equal("$.o.taxonomy", missing.JsonPath);
        Assert.Contains("/tmp/m/no/such.json", missing.Message);
    }

    private static async Task<IReadOnlyList<Episode>> Run(EpisodeStrategy strategy, string[] choices) =>
        await new EpisodeRunner(new TextChooser(choices), strategy, new EpisodeLimits(64)).RunAsync(Items, 1, null);

    /// <summary>A text policy that writes its choices in turn (the k-th turn of every episode is choices[k]).</summary>
    private sealed class TextChooser(string[] choices) : IEpisodePolicy
    {
        public bool UsesTokens => false;

        public Segment Prompt(string message) => new(Actor.Prompt, message);

        public IReadOnlyList<int>? Encode(string text) => null;

        public Task<IReadOnlyList<PolicyTurn>> WriteAsync(IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets, long? seed, CancellationToken cancellationToken)
        {
            Assert.All(turns, t => Assert.NotNull(t.Choice));
            return System.Threading.Tasks.Task.FromResult<IReadOnlyList<PolicyTurn>>(episodes.SelectMany(e => Enumerable.Repeat(
                new PolicyTurn(choices[Math.Min(e.PolicyTurns, choices.Length - 1)], null, TurnEnd.EndOfSequence, 1), samples)).ToArray());
        }
    }

    /// <summary>A reasoner model that puts an answer tag in every thought; the final answer is 41.</summary>
    private sealed class ScriptedBackend : Backends.IModelBackend
    {
        public string Name => "tagging";
        public Backends.BackendCapabilities Capabilities => new(false, false, null);

        public Task<IReadOnlyList<IReadOnlyList<Backends.Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Backends.Message>> conversations, Backends.SamplingSettings settings, CancellationToken cancellationToken = default) =>
            System.Threading.Tasks.Task.FromResult<IReadOnlyList<IReadOnlyList<Backends.Completion>>>(conversations.Select(c => (IReadOnlyList<Backends.Completion>)
                [new Backends.Completion(c[^1].Content.Contains("Finish thinking and answer") ? "<answer>41</answer>" : "I think <answer>7</answer>", "stop", 5, 5)]).ToArray());

        public Task<IReadOnlyList<IReadOnlyList<Backends.Completion>>> CompleteAsync(IReadOnlyList<string> prompts, Backends.SamplingSettings settings, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the reasoner is asked through chat");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
