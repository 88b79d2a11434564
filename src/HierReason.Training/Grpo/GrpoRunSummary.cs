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
}
