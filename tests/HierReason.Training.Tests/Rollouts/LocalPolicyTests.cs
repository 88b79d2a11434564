using HierReason.Core.Episodes;
using HierReason.Engine.Generation;
using HierReason.Training.Rollouts;
using HierReason.Training.Tests.Sft;
using TorchSharp;

namespace HierReason.Training.Tests.Rollouts;

/// <summary>The local engine as an episode policy, on the small SFT-test model.</summary>
public class LocalPolicyTests
{
    private static Episode Start(LocalPolicy policy, string message) => new(policy.Prompt(message));

    private static int Id(char c) => TinyRun.Tokenizer.Encode(c.ToString())[0];

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.7)]
    public void Restricted_sampling_and_restricted_scoring_give_the_same_log_probabilities(double temperature)
    {
        using var model = TinyRun.Model(4);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, TinyRun.Template, new PolicySampling(temperature));
        int[] allowed = [Id('A'), Id('B'), Id('C')];
        var start = Start(policy, "pick one");
        var turns = policy.Write([start], samples: 6, [new TurnSpec([], allowed, MaxTokens: 3)], [3], seed: 11);

        Assert.All(turns, t => Assert.All(t.TokenIds!, id => Assert.Contains(id, allowed)));
        using var scores = CompletionScorer.Score(model, turns.Select(t => (start.TokenIds, t.TokenIds!)).ToArray(), temperature, TinyRun.Tokenizer.PadId,
            turns.Select(t => (IReadOnlyList<RestrictedSpan>)[new RestrictedSpan(0, t.TokenIds!.Count, allowed)]).ToArray());
        var scored = scores.LogProbs.data<float>().ToArray();
        var width = (int)scores.LogProbs.shape[1];
        for (var i = 0; i < turns.Count; i++)
            for (var t = 0; t < turns[i].TokenIds!.Count; t++)
                Assert.Equal(turns[i].LogProbs![t], scored[i * width + t], 4);

        // Unrestricted scoring of the same tokens gives different (lower) log-probabilities: the restriction matters.
        using var free = CompletionScorer.Score(model, turns.Select(t => (start.TokenIds, t.TokenIds!)).ToArray(), temperature, TinyRun.Tokenizer.PadId);
        Assert.True(free.LogProbs.sum().ToDouble() < scores.LogProbs.sum().ToDouble() - 1e-3);
    }

    [Fact]
    public void A_turn_ends_just_after_its_end_after_string_and_says_so()
    {
        using var model = TinyRun.Model(4);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, TinyRun.Template, new PolicySampling());
        var turn = policy.Write([Start(policy, "q")], 1, [new TurnSpec(["xxx"], [Id('x')])], [20], seed: 1)[0];
        Assert.Equal(("xxx", TurnEnd.EndAfter, 3), (turn.Text, turn.End, turn.Tokens));
    }

    [Fact]
    public void A_batch_near_the_context_generates_within_the_room_its_longest_context_leaves()
    {
        // A late turn of a long episode beside a short one: the batch is padded to the long context, so neither row may
        // go past what that one leaves (before the fix the generator refused the whole batch: prompt + max_new > context).
        using var model = TinyRun.Model(4);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, TinyRun.Template, new PolicySampling());
        var spec = new TurnSpec([], [Id('y')]);
        var context = model.Config.MaxPositionEmbeddings;
        var longEpisode = Start(policy, new string('a', context - 40));
        var room = context - longEpisode.TokenIds.Count;
        Assert.InRange(room, 1, 39);
        var turns = policy.Write([longEpisode, Start(policy, "b")], 1, [spec, spec], [100, 100], seed: 1);
        Assert.Equal([room, room], turns.Select(t => t.Tokens));
        Assert.All(turns, t => Assert.Equal(TurnEnd.Length, t.End));
    }

    [Fact]
    public void Each_episode_keeps_its_own_budget_in_one_batch()
    {
        using var model = TinyRun.Model(4);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, TinyRun.Template, new PolicySampling());
        var spec = new TurnSpec([], [Id('y')]);
        var turns = policy.Write([Start(policy, "a"), Start(policy, "bb"), Start(policy, "c")], 1, [spec, spec, spec], [2, 5, 0], seed: 1);
        Assert.Equal([2, 5, 0], turns.Select(t => t.Tokens));
        Assert.All(turns, t => Assert.Equal(TurnEnd.Length, t.End));
        Assert.Equal("yyyyy", turns[1].Text);
    }

    [Fact]
    public void A_user_stop_string_cuts_the_text_before_it()
    {
        using var model = TinyRun.Model(4);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, TinyRun.Template, new PolicySampling { Stop = ["zz"] });
        var turn = policy.Write([Start(policy, "q")], 1, [new TurnSpec([], [Id('z')])], [10], seed: 1)[0];
        Assert.Equal(("", TurnEnd.StopString, 2), (turn.Text, turn.End, turn.Tokens));
    }

    [Fact]
    public void The_context_length_caps_the_budget()
    {
        using var model = TinyRun.Model(4);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, null, new PolicySampling());
        var context = model.Config.MaxPositionEmbeddings;
        var prompt = new string('p', context - 3);
        var turn = policy.Write([Start(policy, prompt)], 1, [new TurnSpec([], [Id('w')])], [50], seed: 1)[0];
        Assert.Equal(context - policy.Prompt(prompt).TokenIds!.Count, turn.Tokens);
        Assert.Equal(TurnEnd.Length, turn.End);
    }

    [Fact]
    public async Task Greedy_vanilla_episodes_through_the_runner_equal_plain_generation()
    {
        using var model = TinyRun.Model(4);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, TinyRun.Template, new PolicySampling(Temperature: 0));
        var items = TinyRun.Items(3);
        var episodes = await new EpisodeRunner(policy, EpisodeStrategy.Vanilla, new EpisodeLimits(12)).RunAsync(items, 1, null);

        var prompts = episodes.Select(e => e.Prompt.TokenIds!).ToArray();
        var direct = new TokenGenerator(model).Generate(prompts, new GenerationOptions
        {
            MaxNewTokens = 12, Temperature = 0, EosTokenIds = policy.StopIds, PadTokenId = TinyRun.Tokenizer.PadId,
        });
        Assert.Equal(direct.Select(s => s.TokenIds.ToArray()), episodes.Select(e => e.CompletionTokenIds.ToArray()));
        Assert.All(episodes, e => Assert.Equal(e.CompletionTokenIds.Count == 12 && !policy.StopIds.Contains(e.CompletionTokenIds[^1]) ? EpisodeEnd.Length : EpisodeEnd.Stop, e.End));
    }

    /// <summary>
    /// GRPO's gradient is a policy gradient only if the scorer gives each sampled token the probability it was sampled
    /// with: rows that finish early leave the batch (compaction), prompts of different lengths share a prefix, several
    /// samples share a prompt. All of that is exercised here, at the rollout temperature and at 1.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.7)]
    public void Sampled_log_probabilities_equal_the_scorers_when_rows_finish_at_different_steps(double temperature)
    {
        using var model = TinyRun.Model(7);
        var policy = new LocalPolicy(model, TinyRun.Tokenizer, TinyRun.Template, new PolicySampling(temperature) { CompactBelow = 0.9 });
        var starts = new[] { "7 + 8", "12 + 30 + 4", "a", "what is 99 + 1?", "x y z", "3" }.Select(m => Start(policy, m)).ToArray();
        int[] budgets = [3, 24, 9, 24, 1, 16];
        var turns = policy.Write(starts, samples: 4, starts.Select(_ => new TurnSpec([], null)).ToArray(), budgets, seed: 5);

        var pairs = turns.Select((t, i) => (starts[i / 4].TokenIds!, t.TokenIds!)).ToArray();
        Assert.Contains(turns, t => t.Tokens == 24);
        Assert.Contains(turns, t => t.Tokens <= 3);
        using var scores = CompletionScorer.Score(model, pairs, temperature, TinyRun.Tokenizer.PadId);
        var scored = scores.LogProbs.data<float>().ToArray();
        var width = (int)scores.LogProbs.shape[1];
        for (var i = 0; i < turns.Count; i++)
            for (var t = 0; t < turns[i].TokenIds!.Count; t++)
                Assert.True(Math.Abs(turns[i].LogProbs![t] - scored[i * width + t]) < 1e-3,
                    $"row {i} token {t}: sampled with log-prob {turns[i].LogProbs![t]}, scored {scored[i * width + t]}");
    }
}
