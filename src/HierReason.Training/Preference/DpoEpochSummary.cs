using System.Text.Json.Serialization;

namespace HierReason.Training.Preference;

/// <summary>
/// The collapse diagnostics of one epoch (or of a measuring pass, epoch 0 = before training): the mean loss, reward
/// accuracy and margin, and the policy's mean chosen and rejected log-probs — both falling is DPO's known failure.
/// </summary>
public sealed record DpoEpochSummary(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("metrics")] DpoMetrics Metrics);
