using System.Text.Json.Serialization;

namespace HierReason.Engine.Generation;

/// <summary>
/// What a generation computed: prompt positions prefilled (left padding included), decode row-steps (every row of the
/// batch at every sampling step) and the alive ones among them (a token a completion kept), and the FLOPs of all of it
/// (matmuls and attention over every computed position, <see cref="Perf.DecoderCost.ForwardFlops"/>).
/// </summary>
public sealed record GenerationWork(
    [property: JsonPropertyName("prefill_positions")] long PrefillPositions,
    [property: JsonPropertyName("row_steps")] long RowSteps,
    [property: JsonPropertyName("alive_row_steps")] long AliveRowSteps,
    [property: JsonPropertyName("flops")] double Flops)
{
    public static readonly GenerationWork None = new(0, 0, 0, 0);

    /// <summary>Alive row-steps over computed row-steps: 1 when no row decoded past its end.</summary>
    [JsonPropertyName("useful_fraction")]
    public double UsefulFraction => RowSteps == 0 ? 1.0 : AliveRowSteps / (double)RowSteps;

    public GenerationWork Add(GenerationWork other) =>
        new(PrefillPositions + other.PrefillPositions, RowSteps + other.RowSteps, AliveRowSteps + other.AliveRowSteps, Flops + other.Flops);
}
