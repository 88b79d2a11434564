using System.Text.Json.Serialization;

namespace HierReason.Training.Sft;

/// <summary>One optimiser step as written to <c>metrics.jsonl</c>.</summary>
public sealed record SftStepMetrics(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("lr")] double LearningRate,
    [property: JsonPropertyName("grad_norm")] double GradNorm,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("tokens_per_s")] double TokensPerSecond,
    [property: JsonPropertyName("step_time_s")] double StepSeconds);
