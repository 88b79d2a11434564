using System.Text.Json.Serialization;

namespace HierReason.Engine.Perf;

/// <summary>Memory a model's inference runs took: its weights, its largest KV cache and the process's peak resident set.</summary>
/// <param name="Model">The benchmarked model's name.</param>
/// <param name="DType">Weight dtype.</param>
/// <param name="ModelBytes">Bytes of the weights (parameters × element size).</param>
/// <param name="KvCacheBytes">Bytes of the largest KV cache allocated for it.</param>
/// <param name="RssBeforeBytes">Resident set before the model was created.</param>
/// <param name="RssWithModelBytes">Resident set once the model was created.</param>
/// <param name="PeakRssBytes">Peak resident set (VmHWM) during its inference runs, weights included; null where /proc is not available.</param>
/// <param name="PeakIsForThisModel">Whether the peak was reset before its runs; if not, it covers the whole process so far.</param>
public sealed record MemoryMeasurement(
    string Model,
    [property: JsonPropertyName("dtype")] string DType,
    long ModelBytes,
    long KvCacheBytes,
    long? RssBeforeBytes,
    long? RssWithModelBytes,
    long? PeakRssBytes,
    bool PeakIsForThisModel);
