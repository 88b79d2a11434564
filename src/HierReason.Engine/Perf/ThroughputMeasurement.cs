using System.Text.Json.Serialization;

namespace HierReason.Engine.Perf;

/// <summary>One prefill or decode measurement and how close it came to the roofline floor.</summary>
/// <param name="Model">The benchmarked model's name.</param>
/// <param name="DType">Weight and KV-cache dtype.</param>
/// <param name="Phase">"prefill" or "decode".</param>
/// <param name="Batch">Sequences processed together.</param>
/// <param name="PromptTokens">Prompt length per sequence (what decode attends to at its first step).</param>
/// <param name="Tokens">Tokens processed per sequence in the timed part (prompt tokens for prefill, decode steps for decode).</param>
/// <param name="Seconds">Best time of the timed part.</param>
/// <param name="TokensPerSecond">Batch × tokens ÷ seconds.</param>
/// <param name="FloorSeconds">Roofline lower bound for the same work: max(FLOPs ÷ matmul rate, bytes ÷ bandwidth), summed over steps.</param>
/// <param name="FloorRatio">Floor ÷ measured: 1 would be a perfect kernel.</param>
/// <param name="BoundBy">"compute" or "memory": which side sets the floor.</param>
/// <param name="Runs">Timed runs the best was taken from.</param>
/// <param name="Kernels">The linear kernels used: "avx512" (our small-batch kernels where they apply) or "torch" (libtorch's throughout).</param>
public sealed record ThroughputMeasurement(
    string Model,
    [property: JsonPropertyName("dtype")] string DType,
    string Phase,
    int Batch,
    int PromptTokens,
    int Tokens,
    double Seconds,
    double TokensPerSecond,
    double FloorSeconds,
    double FloorRatio,
    string BoundBy,
    int Runs,
    string Kernels = "torch");
