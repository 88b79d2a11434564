using System.Text.Json;
using System.Text.Json.Serialization;

namespace HierReason.Training.Preference;

/// <summary>
/// <c>training_summary.json</c> of a DPO run: the settings that matter, the training pairs measured before and after
/// (no dropout, fixed weights), the per-epoch means logged while training, throughput, and whether both log-probs fell.
/// </summary>
public sealed record DpoRunSummary(
    [property: JsonPropertyName("pairs")] int Pairs,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("beta")] double Beta,
    [property: JsonPropertyName("learning_rate")] double LearningRate,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("before")] DpoEpochSummary Before,
    [property: JsonPropertyName("after")] DpoEpochSummary After,
    [property: JsonPropertyName("epochs")] IReadOnlyList<DpoEpochSummary> Epochs,
    [property: JsonPropertyName("wall_seconds")] double WallSeconds,
    [property: JsonPropertyName("steps_per_second")] double StepsPerSecond)
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Both the chosen and the rejected log-prob fell from before to after: the margin grew by pushing everything down.</summary>
    [JsonPropertyName("both_logps_fell")]
    public bool BothLogProbsFell => After.Metrics.LogProbChosen < Before.Metrics.LogProbChosen && After.Metrics.LogProbRejected < Before.Metrics.LogProbRejected;
}
