using System.Text.Json;
using System.Text.Json.Serialization;

namespace HierReason.Training.Grpo;

/// <summary>
/// What a GRPO run did in this process (<c>training_summary.json</c>): step-time split, token counts, how much of the
/// computed work was useful, and throughput ratios against the same run's matmul rate. <c>model_flops_ratio</c> counts
/// useful tokens only (2·N per generated token, 6·N per loss-carrying trained token, N the matmul parameters);
/// <c>hardware_flops_ratio</c> counts every computed position, padding and attention included — what the hardware did.
/// The <c>training_</c> and <c>generation_</c> ratios divide by that phase's seconds only. <c>throughput_ratio</c> is the
/// older figure (real tokens, no attention), kept so earlier runs compare.
/// </summary>
public sealed record GrpoRunSummary
{
    internal static readonly JsonSerializerOptions Options = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [JsonPropertyName("experiment")] public string Experiment { get; init; } = "";
    [JsonPropertyName("steps")] public int Steps { get; init; }
    [JsonPropertyName("final_step")] public int FinalStep { get; init; }
    [JsonPropertyName("skipped_steps")] public int SkippedSteps { get; init; }
    [JsonPropertyName("matmul_parameters")] public long MatmulParameters { get; init; }
    [JsonPropertyName("wall_s")] public double WallSeconds { get; init; }
    [JsonPropertyName("generation_s")] public double GenerationSeconds { get; init; }
    [JsonPropertyName("scoring_s")] public double ScoringSeconds { get; init; }
    [JsonPropertyName("training_s")] public double TrainingSeconds { get; init; }
    [JsonPropertyName("generated_tokens")] public long GeneratedTokens { get; init; }
    [JsonPropertyName("trained_tokens")] public long TrainedTokens { get; init; }
    [JsonPropertyName("trained_loss_tokens")] public long TrainedLossTokens { get; init; }
    [JsonPropertyName("trained_positions")] public long TrainedPositions { get; init; }
    [JsonPropertyName("decode_row_steps")] public long DecodeRowSteps { get; init; }
    [JsonPropertyName("generated_tokens_per_s")] public double GeneratedTokensPerSecond { get; init; }
    /// <summary>Generated tokens per second of generation time (the rollout phase alone).</summary>
    [JsonPropertyName("generation_tokens_per_s")] public double GenerationTokensPerSecond { get; init; }
    /// <summary>Loss-carrying tokens trained per second of training time.</summary>
    [JsonPropertyName("training_loss_tokens_per_s")] public double TrainingLossTokensPerSecond { get; init; }
    /// <summary>Alive decode row-steps over computed row-steps.</summary>
    [JsonPropertyName("generation_useful_fraction")] public double? GenerationUsefulFraction { get; init; }
    /// <summary>Loss-carrying tokens over positions the passes with gradients computed.</summary>
    [JsonPropertyName("training_useful_fraction")] public double? TrainingUsefulFraction { get; init; }
    [JsonPropertyName("micro_batches")] public double MicroBatches { get; init; }
    [JsonPropertyName("flops_per_s")] public double FlopsPerSecond { get; init; }
    [JsonPropertyName("model_flops")] public double ModelFlops { get; init; }
    [JsonPropertyName("hardware_flops")] public double HardwareFlops { get; init; }
    [JsonPropertyName("matmul_flops_per_s")] public double? MatmulFlopsPerSecond { get; init; }
    [JsonPropertyName("throughput_ratio")] public double? ThroughputRatio { get; init; }
    [JsonPropertyName("model_flops_ratio")] public double? ModelFlopsRatio { get; init; }
    [JsonPropertyName("hardware_flops_ratio")] public double? HardwareFlopsRatio { get; init; }
    [JsonPropertyName("generation_hardware_flops_ratio")] public double? GenerationHardwareFlopsRatio { get; init; }
    [JsonPropertyName("training_model_flops_ratio")] public double? TrainingModelFlopsRatio { get; init; }
    [JsonPropertyName("training_hardware_flops_ratio")] public double? TrainingHardwareFlopsRatio { get; init; }
    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("load_average")] public string? LoadAverage { get; init; }

    /// <summary>The totals and ratios of <paramref name="steps"/>, <paramref name="n"/> the matmul parameters, over <paramref name="matmul"/> FLOP/s (null: no ratios).</summary>
    public static GrpoRunSummary Of(string experiment, IReadOnlyList<GrpoStepMetrics> steps, int finalStep, long n, double? matmul)
    {
        double Sum(Func<GrpoStepMetrics, double> f) => steps.Sum(f);
        double? Ratio(double flops, double seconds) => matmul is { } r && r > 0 && seconds > 0 ? flops / seconds / r : null;
        var seconds = Sum(m => m.StepSeconds);
        var generationSeconds = Sum(m => m.GenerationSeconds);
        var trainingSeconds = Sum(m => m.TrainingSeconds);
        var oldFlops = 2.0 * n * (Sum(m => m.PromptTokens) + Sum(m => m.GeneratedTokens) + Sum(m => m.ScoredTokens)) + 6.0 * n * Sum(m => m.TrainedTokens);
        var generationFlops = Sum(m => m.GenerationFlops);
        var trainingFlops = Sum(m => m.TrainingFlops);
        var hardwareFlops = generationFlops + trainingFlops + Sum(m => m.ScoringFlops);
        var lossTokens = Sum(m => m.TrainedLossTokens);
        var trainingModelFlops = 6.0 * n * lossTokens;
        var modelFlops = 2.0 * n * Sum(m => m.GeneratedTokens) + trainingModelFlops;
        var rowSteps = Sum(m => m.DecodeRowSteps);
        var positions = Sum(m => m.TrainedPositions);
        return new GrpoRunSummary
        {
            Experiment = experiment,
            Steps = steps.Count,
            FinalStep = finalStep,
            SkippedSteps = steps.Count(s => s.Skipped),
            MatmulParameters = n,
            WallSeconds = seconds,
            GenerationSeconds = generationSeconds,
            ScoringSeconds = Sum(m => m.ScoringSeconds),
            TrainingSeconds = trainingSeconds,
            GeneratedTokens = (long)Sum(m => m.GeneratedTokens),
            TrainedTokens = (long)Sum(m => m.TrainedTokens),
            TrainedLossTokens = (long)lossTokens,
            TrainedPositions = (long)positions,
            DecodeRowSteps = (long)rowSteps,
            GeneratedTokensPerSecond = seconds > 0 ? Sum(m => m.GeneratedTokens) / seconds : 0,
            GenerationTokensPerSecond = generationSeconds > 0 ? Sum(m => m.GeneratedTokens) / generationSeconds : 0,
            TrainingLossTokensPerSecond = trainingSeconds > 0 ? lossTokens / trainingSeconds : 0,
            GenerationUsefulFraction = rowSteps > 0 ? Sum(m => m.DecodeRowSteps * m.DecodeUsefulFraction) / rowSteps : null,
            TrainingUsefulFraction = positions > 0 ? lossTokens / positions : null,
            FlopsPerSecond = seconds > 0 ? oldFlops / seconds : 0,
            ModelFlops = modelFlops,
            HardwareFlops = hardwareFlops,
            MatmulFlopsPerSecond = matmul,
            ThroughputRatio = Ratio(oldFlops, seconds),
            ModelFlopsRatio = Ratio(modelFlops, seconds),
            HardwareFlopsRatio = Ratio(hardwareFlops, seconds),
            GenerationHardwareFlopsRatio = Ratio(generationFlops, generationSeconds),
            TrainingModelFlopsRatio = Ratio(trainingModelFlops, trainingSeconds),
            TrainingHardwareFlopsRatio = Ratio(trainingFlops, trainingSeconds),
            MicroBatches = steps.Count > 0 ? steps.Average(m => (double)m.MicroBatches) : 0,
            Threads = TorchSharp.torch.get_num_threads(),
        };
    }
}
