using System.Text.Json.Serialization;

namespace HierReason.Training.Sft;

/// <summary>
/// One optimiser step as written to <c>metrics.jsonl</c>: <see cref="Tokens"/> real tokens, of which <see cref="LossTokens"/>
/// carry loss, over <see cref="ComputedPositions"/> positions the model ran (padding included, a shared prefix once), and
/// the step's <see cref="Flops"/> (forward and backward, attention included).
/// </summary>
public sealed record SftStepMetrics(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("lr")] double LearningRate,
    [property: JsonPropertyName("grad_norm")] double GradNorm,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("tokens_per_s")] double TokensPerSecond,
    [property: JsonPropertyName("step_time_s")] double StepSeconds,
    [property: JsonPropertyName("loss_tokens")] long LossTokens = 0,
    [property: JsonPropertyName("computed_positions")] long ComputedPositions = 0,
    [property: JsonPropertyName("flops")] double Flops = 0)
{
    /// <summary>Loss-carrying tokens over computed positions.</summary>
    [JsonPropertyName("useful_fraction")]
    public double UsefulFraction => ComputedPositions > 0 ? LossTokens / (double)ComputedPositions : 0;
}
