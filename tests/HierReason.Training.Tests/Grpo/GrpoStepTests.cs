using HierReason.Engine.Checkpoints;
using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Episodes;
using HierReason.Training.Grpo;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Grpo;

public class GrpoStepTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    private static readonly GrpoOptions Options = new()
    {
        NumGenerations = 4,
        MaxCompletionLength = 6,
        OverlongCacheLength = 2,
        Seed = 7,
    };

    private static IReadOnlyList<IReadOnlyList<int>> Prompts() => [Tokenizer.Encode("1+2="), Tokenizer.Encode("ab")];

    // A reward we control: completions whose first token id is even earn 1.
    private static double EvenFirstToken(int prompt, Episode episode) =>
        episode.CompletionTokenIds.Count > 0 && episode.CompletionTokenIds[0] % 2 == 0 ? 1.0 : 0.0;

    private static CausalLM Model() => TinyModelFactory.Create(seed: 3, vocabSize: Tokenizer.VocabSize, eosTokenIds: Tokenizer.EosIds);

    private static double[] SequenceLogProbs(CausalLM model, IReadOnlyList<Episode> episodes)
    {
        using var noGrad = no_grad();
        using var scores = CompletionScorer.Score(model, episodes.Select(e => (e.Prompt.TokenIds, e.CompletionTokenIds)).ToArray(), 1.0, Tokenizer.PadId);
        return scores.LogProbs.sum(1).data<float>().Select(v => (double)v).ToArray();
    }

    [Fact]
    public void One_step_raises_the_logprob_of_rewarded_completions_and_lowers_the_others()
    {
        using var model = Model();
        using var optimizer = optim.SGD(model.parameters(), 0.05);
        var step = new GrpoStep(model, Tokenizer, optimizer, Options);

        var result = step.Run(Prompts(), EvenFirstToken);
        Assert.Equal(8, result.Episodes.Count);
        Assert.Contains(result.Advantages, a => a > 0);
        Assert.Contains(result.Advantages, a => a < 0);
        Assert.NotNull(result.Loss);

        // Replay the same completions: score them before (by re-running from the same seed) and after.
        using var before = Model();
        var logpBefore = SequenceLogProbs(before, result.Episodes);
        var logpAfter = SequenceLogProbs(model, result.Episodes);
        for (var i = 0; i < result.Episodes.Count; i++)
        {
            var change = logpAfter[i] - logpBefore[i];
            if (result.Advantages[i] > 0) Assert.True(change > 0, $"completion {i}: A = {result.Advantages[i]:F3}, logp change {change:E3}");
            if (result.Advantages[i] < 0) Assert.True(change < 0, $"completion {i}: A = {result.Advantages[i]:F3}, logp change {change:E3}");
        }
    }

    [Fact]
    public void Rewards_and_advantages_follow_the_reward_function_per_group()
    {
        using var model = Model();
        using var optimizer = optim.SGD(model.parameters(), 0.0);
        var result = new GrpoStep(model, Tokenizer, optimizer, Options with { ScaleRewards = RewardScaling.None }).Run(Prompts(), EvenFirstToken);

        for (var i = 0; i < 8; i++) Assert.Equal(EvenFirstToken(i / 4, result.Episodes[i]), result.Rewards[i]);
        var expected = GroupAdvantages.Compute(result.Rewards, 4, RewardScaling.None);
        Assert.Equal(expected, result.Advantages);
        Assert.All(result.Episodes, e => Assert.InRange(e.PolicyTokenCount, 1, 6));
        Assert.All(result.Episodes.Where(e => e.Truncated), e => Assert.Equal(6, e.PolicyTokenCount));
    }

    [Fact]
    public void A_batch_where_every_group_earns_one_reward_trains_nothing_under_dynamic_sampling()
    {
        using var model = Model();
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var before = model.parameters().First().detach().clone();
        var result = new GrpoStep(model, Tokenizer, optimizer, Options with { DynamicSampling = true }).Run(Prompts(), (_, _) => 1.0);

        Assert.Empty(result.TrainedGroups);
        Assert.Equal(1.0, result.ZeroVarianceFraction);
        Assert.Null(result.Loss);
        Assert.True(before.allclose(model.parameters().First(), rtol: 0, atol: 0));
    }

    [Fact]
    public void With_a_fresh_lora_adapter_the_reference_equals_the_policy_so_kl_starts_at_zero()
    {
        using var model = Model();
        var adapter = LoraAdapter.Attach(model, new LoraConfig { R = 2, Alpha = 4 }, seed: 1);
        using var optimizer = optim.Adam(adapter.Parameters(), 1e-3);
        var result = new GrpoStep(model, Tokenizer, optimizer, Options with { Beta = 0.04 }, adapter).Run(Prompts(), EvenFirstToken);

        Assert.NotNull(result.Metrics);
        Assert.Equal(0.0, result.Metrics.MeanKl!.Value, 6);
        Assert.Equal(1.0, result.Metrics.MeanRatio, 6);
    }

    [Fact]
    public void A_second_iteration_sees_ratios_away_from_one_against_the_rollout_policy()
    {
        using var model = Model();
        using var optimizer = optim.SGD(model.parameters(), 0.05);
        var result = new GrpoStep(model, Tokenizer, optimizer, Options with { NumIterations = 2 }).Run(Prompts(), EvenFirstToken);

        Assert.NotNull(result.Metrics);
        Assert.NotEqual(1.0, result.Metrics.MeanRatio, 6);
        Assert.Equal(result.Episodes.Sum(e => e.PolicyTokenCount), result.Metrics.ActiveTokens);
    }

    [Fact]
    public void Beta_without_a_reference_is_a_user_error()
    {
        using var model = Model();
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        Assert.Throws<TrainingException>(() => new GrpoStep(model, Tokenizer, optimizer, Options with { Beta = 0.1 }));
    }
}
