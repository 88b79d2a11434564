using System.Text;
using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Training.Grpo;
using HierReason.Training.Perf;

namespace HierReason.Training.Diagnostics;

/// <summary>
/// <c>hierreason perf grad-noise</c>: K policy gradients of independent rollout batches at the GRPO experiment's starting
/// weights (its <c>model.from</c>, or <see cref="Model"/>), nothing updated, and what they say about the step
/// (<see cref="GradientNoise"/>): the share of one step that is signal, the batch at which signal equals noise, and what
/// such a batch costs on this machine at the measured rollout + backward rate.
/// </summary>
public sealed record GradientNoiseSettings
{
    public string Experiment { get; init; } = "tasks/experiments/tiny-grpo.json";
    public string? Model { get; init; }
    public int Batches { get; init; } = 8;
    /// <summary>Prompts per batch; null: the experiment's <c>grpo.prompts_per_step</c>.</summary>
    public int? PromptsPerStep { get; init; }

    public void Validate()
    {
        if (Batches is < 2 or > 256) throw new TrainingException($"perf grad-noise: --batches must be in [2, 256] (found {Batches})");
        if (PromptsPerStep is < 1 or > 4096) throw new TrainingException($"perf grad-noise: --prompts-per-step must be in [1, 4096] (found {PromptsPerStep})");
    }
}

public static class GradientNoiseRun
{
    public static GradientNoiseReport Measure(GradientNoiseSettings settings, Func<string, JsonObject, EpisodeStrategy>? strategies = null, Action<string>? progress = null)
    {
        settings.Validate();
        var config = TrainBenchmark.GrpoConfig(settings.Experiment, settings.Model, "tasks/experiments/tiny-sft.json", "perf grad-noise");
        if (settings.PromptsPerStep is { } prompts) config = config with { Grpo = config.Grpo! with { PromptsPerStep = prompts } };
        var grpo = config.Grpo!;
        // Enough items for every batch to draw fresh prompts.
        config = config with { Grpo = grpo with { Steps = Math.Max(grpo.Steps, settings.Batches) } };
        using var run = GrpoRun.Build(config, start: null, strategies: strategies);
        var samples = new List<PolicyGradientSample>();
        for (var k = 0; k < settings.Batches; k++)
        {
            progress?.Invoke($"batch {k + 1}/{settings.Batches}");
            samples.Add(run.Trainer.SampleGradient(k));
        }
        var batchSize = grpo.PromptsPerStep * grpo.Options.NumGenerations;
        var estimate = GradientNoise.Estimate(samples.Select(s => s.Gradient).ToArray(), batchSize);
        var completions = (double)samples.Count * batchSize;
        var seconds = samples.Sum(s => s.Seconds);
        return new GradientNoiseReport(
            Experiment: settings.Experiment,
            Model: config.Model.From ?? config.Model.Path ?? "(fresh tiny model)",
            PromptsPerStep: grpo.PromptsPerStep,
            NumGenerations: grpo.Options.NumGenerations,
            Temperature: grpo.Options.Temperature,
            LearningRate: grpo.LearningRate,
            Threads: TorchSharp.torch.get_num_threads(),
            Batches: samples.Select(s => new GradientNoiseReport.Batch(s.Completions, s.Accuracy, s.ZeroVarianceFraction, Math.Sqrt(s.Gradient.Sum(v => (double)v * v)), s.Seconds)).ToArray(),
            Estimate: estimate,
            SecondsPerCompletion: seconds / completions,
            SecondsForNoiseScaleBatch: (estimate.NoiseScale ?? estimate.NoiseScaleLowerBound) is { } b ? b * seconds / completions : null);
    }
}

/// <summary>What <c>perf grad-noise</c> measured; batch sizes and noise scales are in completions.</summary>
public sealed record GradientNoiseReport(
    string Experiment,
    string Model,
    int PromptsPerStep,
    int NumGenerations,
    double Temperature,
    double LearningRate,
    int Threads,
    IReadOnlyList<GradientNoiseReport.Batch> Batches,
    GradientNoiseEstimate Estimate,
    double SecondsPerCompletion,
    double? SecondsForNoiseScaleBatch)
{
    /// <summary>One rollout batch: completions trained on (informative groups), rollout accuracy, zero-variance group share, gradient norm, seconds.</summary>
    public sealed record Batch(int Completions, double Accuracy, double ZeroVarianceFraction, double GradNorm, double Seconds);

    public string ToMarkdown()
    {
        var e = Estimate;
        var text = new StringBuilder();
        text.AppendLine($"# Gradient noise: {Experiment}");
        text.AppendLine();
        text.AppendLine($"From `{Model}`; {Batches.Count} independent batches of {PromptsPerStep} prompts × {NumGenerations} completions ({e.BatchSize}) at T = {Temperature:0.##}; {e.Parameters:N0} trainable weights; {Threads} thread(s).");
        text.AppendLine();
        text.AppendLine("| batch | completions trained | rollout accuracy | zero-variance groups | ‖g‖ | seconds |");
        text.AppendLine("|---|---|---|---|---|---|");
        for (var i = 0; i < Batches.Count; i++)
        {
            var b = Batches[i];
            text.AppendLine($"| {i + 1} | {b.Completions} | {b.Accuracy:P1} | {b.ZeroVarianceFraction:P0} | {b.GradNorm:G4} | {b.Seconds:F1} |");
        }
        text.AppendLine();
        text.AppendLine($"- signal |G|² ≈ mean pairwise g_j·g_k = {e.SignalSquaredNorm:G4}{(e.SignalSquaredNormSe is { } se ? $" ± {se:G3} (jackknife SE)" : "")}; mean ‖g‖² = {e.MeanSquaredNorm:G4}");
        text.AppendLine($"- signal share of one batch's squared norm: {e.SignalShare:P2}; mean pairwise cosine {e.MeanPairwiseCosine:F4}");
        text.AppendLine($"- per-weight sign agreement with the other batches' mean: {e.SignAgreement:P2} (50 % = coin flip)");
        text.AppendLine(e.NoiseScale is { } scale
            ? $"- noise scale B_noise = {scale:N0} completions (signal = noise per step at that batch; this batch is {e.BatchSize / scale:P2} of it)"
            : $"- the signal is not resolved (pairwise mean ≤ 0): B_noise is unbounded above{(e.NoiseScaleLowerBound is { } lb ? $"; at 2 SE, B_noise ≥ {lb:N0} completions" : "")}");
        text.AppendLine($"- {SecondsPerCompletion * 1000:F1} ms per completion (rollout + backward) here{(SecondsForNoiseScaleBatch is { } s ? $": one step of B_noise completions ≈ {s / 60:F1} min" : "")}");
        return text.ToString();
    }
}
