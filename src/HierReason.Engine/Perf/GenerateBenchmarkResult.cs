using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HierReason.Engine.Perf;

/// <summary>Everything one <see cref="GenerateBenchmark"/> run measured, as JSON (snake_case) or a Markdown report.</summary>
/// <param name="Device">The device measured.</param>
/// <param name="Threads">libtorch's intra-op threads during the run.</param>
/// <param name="Kernels">The small-batch linear kernels' state (<see cref="Models.SmallBatchLinear.Describe"/>).</param>
/// <param name="Baseline">Matmul rates and copy bandwidth the floors are computed from.</param>
/// <param name="Throughput">Prefill and decode measurements, per model and dtype.</param>
/// <param name="KvCache">Decoding with the KV cache against without.</param>
/// <param name="Memory">Weights, KV cache and peak resident memory.</param>
/// <param name="Settings">What was asked for.</param>
/// <param name="TotalSeconds">Wall time of the whole run, model creation included.</param>
public sealed record GenerateBenchmarkResult(
    string Device,
    int Threads,
    string Kernels,
    MachineBaseline Baseline,
    IReadOnlyList<ThroughputMeasurement> Throughput,
    IReadOnlyList<KvCacheComparison> KvCache,
    IReadOnlyList<MemoryMeasurement> Memory,
    GenerateBenchmarkSettings Settings,
    double TotalSeconds)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>The result as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>A Markdown report: the baseline, one table of throughput against the roofline, the cache comparison and memory.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(Inv($"## Generation performance on {Device} ({Threads} threads)"));
        md.AppendLine();
        md.AppendLine(Inv($"Linear kernels: {Kernels}."));
        md.AppendLine();
        var bf16 = Baseline.BFloat16FlopsPerSecond is { } bf ? Inv($"{bf / 1e9:F1}") : "n/a";
        md.AppendLine(Inv($"Baseline: matmul float32 {Baseline.Float32FlopsPerSecond / 1e9:F1} GFLOP/s, bfloat16 {bf16} GFLOP/s; copy {Baseline.CopyBytesPerSecond / 1e9:F1} GB/s."));
        md.AppendLine();
        md.AppendLine("| model | dtype | phase | kernels | batch | prompt | tokens | seconds | tokens/s | floor s | floor/measured | bound |");
        md.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var t in Throughput)
            md.AppendLine(Inv($"| {t.Model} | {t.DType} | {t.Phase} | {t.Kernels} | {t.Batch} | {t.PromptTokens} | {t.Tokens} | {t.Seconds:F4} | {t.TokensPerSecond:F1} | {t.FloorSeconds:F4} | {t.FloorRatio:F3} | {t.BoundBy} |"));
        var steps = StepCostLines();
        if (steps.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Decode step cost: the fixed part of a step and the cost of each added row between consecutive batch sizes.");
            md.AppendLine();
            foreach (var line in steps) md.AppendLine(line);
        }
        if (KvCache.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| model | dtype | prompt | new tokens | with cache tok/s | without cache tok/s | speed-up | same tokens |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
            foreach (var c in KvCache)
                md.AppendLine(Inv($"| {c.Model} | {c.DType} | {c.PromptTokens} | {c.NewTokens} | {c.WithCacheTokensPerSecond:F1} | {c.WithoutCacheTokensPerSecond:F1} | {c.Speedup:F2}× | {(c.SameTokens ? "yes" : "no")} |"));
        }
        if (Memory.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| model | dtype | weights MiB | largest KV cache MiB | RSS before MiB | RSS with model MiB | peak RSS in inference MiB | peak covers |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
            foreach (var m in Memory)
                md.AppendLine(Inv($"| {m.Model} | {m.DType} | {Mib(m.ModelBytes)} | {Mib(m.KvCacheBytes)} | {Mib(m.RssBeforeBytes)} | {Mib(m.RssWithModelBytes)} | {Mib(m.PeakRssBytes)} | {(m.PeakIsForThisModel ? "this model" : "whole process")} |"));
        }
        md.AppendLine();
        md.AppendLine(Inv($"Total {TotalSeconds:F1} s. Floor = max(FLOPs ÷ matmul rate, bytes ÷ copy bandwidth); floor/measured near 1 means the kernel is as fast as the machine allows."));
        return md.ToString();
    }

    /// <summary>
    /// Per model, dtype and kernels, a decode step's time split as t(B) = fixed + B × per-row between the two smallest
    /// batch sizes (the fixed part: what a step costs whatever its rows), then the per-row cost between each later pair.
    /// Rows timed with other kernels (the libtorch comparison) make their own line.
    /// </summary>
    public IReadOnlyList<string> StepCostLines()
    {
        var lines = new List<string>();
        foreach (var group in Throughput.Where(t => t.Phase == "decode").GroupBy(t => (t.Model, t.DType, t.Kernels)))
        {
            var points = group.OrderBy(t => t.Batch).Select(t => (t.Batch, Ms: t.Seconds / t.Tokens * 1000)).ToArray();
            if (points.Length < 2) continue;
            var perRow = (points[1].Ms - points[0].Ms) / (points[1].Batch - points[0].Batch);
            var fixedMs = points[0].Ms - perRow * points[0].Batch;
            var text = new StringBuilder(Inv($"- {group.Key.Model} {group.Key.DType}, {group.Key.Kernels} kernels: {fixedMs:F3} ms fixed + {perRow:F4} ms per row (batch {points[0].Batch}→{points[1].Batch})"));
            for (var i = 2; i < points.Length; i++)
                text.Append(Inv($"; {(points[i].Ms - points[i - 1].Ms) / (points[i].Batch - points[i - 1].Batch):F4} ms per row (batch {points[i - 1].Batch}→{points[i].Batch})"));
            lines.Add(text.Append('.').ToString());
        }
        return lines;
    }

    private static string Mib(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
