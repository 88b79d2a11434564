using HierReason.Core;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Optim;

/// <summary>The GRPO update rules beside AdamW: SGD with momentum and down-weighted negative advantages (issue 18).</summary>
public sealed class OptimizerKindTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-optim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string grpo)
    {
        var path = Path.Combine(_dir, "exp.json");
        File.WriteAllText(path, $$"""{ "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum" } ] }, "grpo": {{grpo}} }""");
        return path;
    }

    [Fact]
    public void Sgd_moves_each_weight_by_the_learning_rate_times_its_gradient_then_accumulates_momentum()
    {
        var weight = new TorchSharp.Modules.Parameter(tensor(new float[] { 1f, 2f, 3f }));
        using var optimizer = new TrainingOptimizer([weight], new LearningRateSchedule(0.1, 0, 10, 1.0), 0, 0, kind: OptimizerKind.Sgd, momentum: 0.5);
        float[] gradient = [1f, -2f, 0f];
        for (var step = 0; step < 2; step++)
        {
            (weight * tensor(gradient)).sum().backward();
            optimizer.Step();
        }
        // Step 1: v = g, w -= 0.1 g. Step 2: v = 0.5 g + g = 1.5 g, w -= 0.15 g. In all w -= 0.25 g; a zero gradient moves nothing.
        var w = weight.data<float>().ToArray();
        Assert.Equal(1f - 0.25f, w[0], 5);
        Assert.Equal(2f + 0.5f, w[1], 5);
        Assert.Equal(3f, w[2]);
    }

    [Fact]
    public void Adamw_moves_even_a_tiny_gradient_by_about_the_learning_rate()
    {
        var weight = new TorchSharp.Modules.Parameter(tensor(new float[] { 1f, 1f }));
        using var optimizer = new TrainingOptimizer([weight], new LearningRateSchedule(0.1, 0, 10, 1.0), 0, 0);
        (weight * tensor(new float[] { 1e-3f, 1f })).sum().backward();
        optimizer.Step();
        var w = weight.data<float>().ToArray();
        Assert.Equal(0.9f, w[0], 3);
        Assert.Equal(0.9f, w[1], 3);
        Assert.Equal(OptimizerKind.AdamW, optimizer.Kind);
    }

    [Fact]
    public void The_experiment_reads_optimizer_momentum_and_negative_advantage_scale()
    {
        var config = ExperimentConfig.Load(Write("""{ "optimizer": "sgd", "momentum": 0.8, "negative_advantage_scale": 0.25, "measure_update": true }"""));
        Assert.Equal((OptimizerKind.Sgd, 0.8, 0.25, true), (config.Grpo!.Optimizer, config.Grpo.Momentum, config.Grpo.Options.NegativeAdvantageScale, config.Grpo.MeasureUpdate));

        var defaults = ExperimentConfig.Load(Write("{}"));
        Assert.Equal((OptimizerKind.AdamW, 1.0, false), (defaults.Grpo!.Optimizer, defaults.Grpo.Options.NegativeAdvantageScale, defaults.Grpo.MeasureUpdate));
    }

    [Theory]
    [InlineData("""{ "optimizer": "lion" }""", "$.grpo.optimizer")]
    [InlineData("""{ "momentum": 0.9 }""", "$.grpo.momentum")]
    [InlineData("""{ "optimizer": "sgd", "momentum": 1.5 }""", "$.grpo.momentum")]
    [InlineData("""{ "negative_advantage_scale": 2 }""", "$.grpo.negative_advantage_scale")]
    public void Bad_update_rule_settings_name_the_file_and_field(string grpo, string field)
    {
        var path = Write(grpo);
        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Equal((path, field), (error.File, error.JsonPath));
    }

    [Fact]
    public void Negative_advantages_are_scaled_and_positive_ones_kept()
    {
        var advantages = GroupAdvantages.Compute([1, 0, 0, 0], 4, RewardScaling.None);          // 0.75, −0.25 × 3
        Assert.Equal([0.75, -0.0625, -0.0625, -0.0625], GroupAdvantages.ScaleNegatives(advantages, 0.25));
        Assert.Equal([0.75, 0, 0, 0], GroupAdvantages.ScaleNegatives(advantages, 0).Select(a => a == 0 ? 0 : a));
    }
}
