using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Rewards;
using HierReason.Training.Tests.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Grpo;

/// <summary>GRPO through the trainer's real step (the code that trains the models), on the small SFT-test model.</summary>
public class GrpoTrainerTests
{
    private static readonly GrpoOptions Options = new()
    {
        NumGenerations = 4,
        MaxCompletionLength = 6,
        OverlongCacheLength = 2,
        Seed = 7,
    };

    private static readonly IReasoningTask Chain = TaskRegistry.Default.Get("chain_sum");

    private static GrpoSection Settings(GrpoOptions options, double lr = 0.05, int accum = 1, int prompts = 2, int maxBatches = 3) =>
        new(options, Steps: 10, PromptsPerStep: prompts, GradAccum: accum, LearningRate: lr, WarmupSteps: 0, WeightDecay: 0, MaxGradNorm: 0,
            MinLearningRateRatio: 1, Rewards: new Dictionary<string, IReadOnlyDictionary<string, double>> { ["chain_sum"] = new Dictionary<string, double> { ["correctness"] = 1.0 } },
            RewardSettings: new RewardSettings(), Environment: EpisodeStrategy.VanillaName, EnvironmentOptions: new JsonObject(), MaxBadSteps: 5, MaxGenerationBatches: maxBatches);

    /// <summary>"correctness" replaced by a reward we control: completions whose first token id is even earn 1.</summary>
    private static RewardRegistry EvenFirstToken() => new([("correctness", _ => new EvenFirstTokenReward())]);

    private static RewardRegistry Constant() => new([("correctness", _ => new ConstantReward())]);

    private static GrpoTrainer Trainer(CausalLM model, GrpoSection settings, RewardRegistry registry, LoraAdapter? adapter = null) =>
        new(model, TinyRun.Tokenizer, TinyRun.Template, settings, TinyRun.Items(8), [Chain], registry, adapter);

    private static double[] SequenceLogProbs(CausalLM model, IReadOnlyList<Episode> episodes)
    {
        using var noGrad = no_grad();
        using var scores = CompletionScorer.Score(model, episodes.Select(e => (e.Prompt.TokenIds!, e.CompletionTokenIds)).ToArray(), 1.0, TinyRun.Tokenizer.PadId);
        return scores.LogProbs.sum(1).data<float>().Select(v => (double)v).ToArray();
    }

    [Fact]
    public void One_step_raises_the_advantage_weighted_logprob_of_its_completions()
    {
        // A small step keeps the change first-order: AdamW's first update moves each weight by −lr·sign(∂L/∂w), so the
        // surrogate Σ A·log p must rise, and rewarded completions must gain on the others.
        using var model = TinyRun.Model(3);
        using var trainer = Trainer(model, Settings(Options, lr: 1e-4), EvenFirstToken());
        var metrics = trainer.TrainStep();

        var episodes = trainer.LastEpisodes;
        Assert.Equal(8, episodes.Count);
        Assert.NotNull(metrics.Loss);
        Assert.Contains(trainer.LastAdvantages, a => a > 0);
        Assert.Contains(trainer.LastAdvantages, a => a < 0);
        using var before = TinyRun.Model(3);
        var logpBefore = SequenceLogProbs(before, episodes);
        var logpAfter = SequenceLogProbs(model, episodes);
        var changes = logpAfter.Zip(logpBefore, (after, b) => after - b).ToArray();
        var surrogate = changes.Select((c, i) => c * trainer.LastAdvantages[i]).Sum();
        Assert.True(surrogate > 0, $"Σ A·Δlog p = {surrogate:E3}");
        var rewarded = changes.Where((_, i) => trainer.LastAdvantages[i] > 0).Average();
        var punished = changes.Where((_, i) => trainer.LastAdvantages[i] < 0).Average();
        Assert.True(rewarded > punished, $"mean Δlog p: rewarded {rewarded:E3}, others {punished:E3}");
    }

    [Fact]
    public void Measure_update_logs_how_the_step_moved_its_rewarded_and_penalised_completions()
    {
        using var model = TinyRun.Model(3);
        using var trainer = Trainer(model, Settings(Options, lr: 1e-4) with { MeasureUpdate = true }, EvenFirstToken());
        var metrics = trainer.TrainStep();

        // The probe's figures are the per-sign means of the change a fresh scoring of the same completions shows.
        using var before = TinyRun.Model(3);
        var changes = SequenceLogProbs(model, trainer.LastEpisodes).Zip(SequenceLogProbs(before, trainer.LastEpisodes), (a, b) => a - b).ToArray();
        var advantages = trainer.LastAdvantages;
        Assert.Equal(changes.Where((_, i) => advantages[i] > 0).Average(), metrics.UpdateLogpRewarded!.Value, 3);
        Assert.Equal(changes.Where((_, i) => advantages[i] < 0).Average(), metrics.UpdateLogpPenalised!.Value, 3);
        Assert.True(metrics.UpdateLogpRewarded > metrics.UpdateLogpPenalised);
        Assert.Contains("\"update_logp_rewarded\"", System.Text.Json.JsonSerializer.Serialize(metrics));

        // Off by default: nothing measured, nothing written.
        using var plainModel = TinyRun.Model(3);
        using var plain = Trainer(plainModel, Settings(Options, lr: 1e-4), EvenFirstToken());
        Assert.Null(plain.TrainStep().UpdateLogpRewarded);
    }

    [Fact]
    public void A_sampled_gradient_is_the_one_the_step_would_take_and_changes_nothing()
    {
        using var model = TinyRun.Model(3);
        using var trainer = Trainer(model, Settings(Options, lr: 1e-2), EvenFirstToken());
        var first = trainer.SampleGradient(0);
        var second = trainer.SampleGradient(1);

        // Nothing moved: weights, step, optimiser position.
        using var untouched = TinyRun.Model(3);
        var weights = untouched.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(model.named_parameters(), p => Assert.Equal(0f, (p.parameter - weights[p.name]).abs().max().item<float>()));
        Assert.Equal((0, 0), (trainer.Step, trainer.Optimizer.StepCount));
        Assert.Equal(model.parameters().Sum(p => p.numel()), first.Gradient.Length);
        Assert.Equal(8, first.Completions);

        // The first sample is step 1's gradient: a fresh trainer's real step reports the same norm (clipping is off).
        using var stepped = TinyRun.Model(3);
        using var reference = Trainer(stepped, Settings(Options, lr: 1e-2), EvenFirstToken());
        var metrics = reference.TrainStep();
        var norm = Math.Sqrt(first.Gradient.Sum(v => (double)v * v));
        Assert.True(norm > 0);
        Assert.Equal(metrics.GradNorm!.Value, norm, metrics.GradNorm.Value * 1e-4);

        // The second batch drew other prompts and samples, so its gradient differs.
        var cosine = first.Gradient.Zip(second.Gradient, (a, b) => (double)a * b).Sum() / (norm * Math.Sqrt(second.Gradient.Sum(v => (double)v * v)));
        Assert.True(cosine < 0.999, $"cosine {cosine}");
    }

    [Fact]
    public void Advantages_follow_the_rewards_per_group_and_completions_stay_in_budget()
    {
        using var model = TinyRun.Model(3);
        using var trainer = Trainer(model, Settings(Options with { ScaleRewards = RewardScaling.None }, lr: 0), EvenFirstToken());
        trainer.TrainStep();
        var rewards = trainer.LastEpisodes.Select(e => EvenFirstTokenReward.Of(e)).ToArray();
        Assert.Equal(GroupAdvantages.Compute(rewards, 4, RewardScaling.None), trainer.LastAdvantages);
        Assert.All(trainer.LastEpisodes, e => Assert.InRange(e.PolicyTokenCount, 1, 6));
        Assert.All(trainer.LastEpisodes.Where(e => e.Truncated), e => Assert.Equal(6, e.PolicyTokenCount));
    }

    [Fact]
    public void Dynamic_sampling_refills_dropped_groups_and_trains_nothing_when_no_group_is_informative()
    {
        using var model = TinyRun.Model(3);
        using var trainer = Trainer(model, Settings(Options with { DynamicSampling = true }, maxBatches: 3), Constant());
        var before = model.parameters().First().detach().clone();
        var metrics = trainer.TrainStep();

        Assert.Equal(3, metrics.GenerationBatches);
        Assert.Equal(2 * 3 * 4, trainer.LastEpisodes.Count);
        Assert.Equal(0, metrics.TrainedGroups);
        Assert.Equal(1.0, metrics.ZeroVarianceFraction);
        Assert.Null(metrics.Loss);
        Assert.True(before.allclose(model.parameters().First(), rtol: 0, atol: 0));
        Assert.Equal(6, trainer.DataPosition);
    }

    [Fact]
    public void Dynamic_sampling_stops_refilling_once_the_batch_is_full()
    {
        using var model = TinyRun.Model(3);
        using var trainer = Trainer(model, Settings(Options with { DynamicSampling = true }, prompts: 2, maxBatches: 5), EvenFirstToken());
        var metrics = trainer.TrainStep();
        Assert.InRange(metrics.GenerationBatches, 1, 5);
        Assert.Equal(metrics.GenerationBatches == 5 ? metrics.TrainedGroups : 2, metrics.TrainedGroups);
        Assert.True(metrics.TrainedGroups <= 2, "never more groups than prompts_per_step");
    }

    [Fact]
    public void With_a_fresh_lora_adapter_the_reference_equals_the_policy_so_kl_starts_at_zero()
    {
        using var model = TinyRun.Model(3);
        var adapter = LoraAdapter.Attach(model, new LoraConfig { R = 2, Alpha = 4 }, seed: 1);
        using var trainer = Trainer(model, Settings(Options with { Beta = 0.04 }, lr: 1e-3), EvenFirstToken(), adapter);
        var metrics = trainer.TrainStep();
        Assert.NotNull(metrics.Kl);
        Assert.Equal(0.0, metrics.Kl!.Value, 6);
    }

    [Fact]
    public void Beta_without_a_reference_is_a_user_error()
    {
        using var model = TinyRun.Model(3);
        Assert.Throws<TrainingException>(() => Trainer(model, Settings(Options with { Beta = 0.1 }), EvenFirstToken()));
    }

    private sealed class EvenFirstTokenReward : IRewardFunction
    {
        public string Name => "correctness";
        public double Score(RewardContext ctx) => Of(ctx.Episode);
        public static double Of(Episode e) => e.CompletionTokenIds.Count > 0 && e.CompletionTokenIds[0] % 2 == 0 ? 1.0 : 0.0;
    }

    private sealed class ConstantReward : IRewardFunction
    {
        public string Name => "correctness";
        public double Score(RewardContext ctx) => 1.0;
    }
}
