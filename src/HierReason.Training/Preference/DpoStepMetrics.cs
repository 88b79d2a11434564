using System.Text.Json.Serialization;

namespace HierReason.Training.Preference;

/// <summary>One DPO optimiser step: its loss, TRL's reward metrics, gradient norm before clipping, rate and wall time.</summary>
public sealed record DpoStepMetrics(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("metrics")] DpoMetrics Metrics,
    [property: JsonPropertyName("grad_norm")] double GradNorm,
    [property: JsonPropertyName("learning_rate")] double LearningRate,
    [property: JsonPropertyName("seconds")] double Seconds);
