using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using HierReason.Training.Grpo;
using HierReason.Training.Sft;

namespace HierReason.Training.Perf;

/// <summary>
/// What <c>hierreason perf train</c> measured: each SFT and GRPO measurement with its mode (<c>baseline</c>: every efficiency
/// switch off; <c>efficient</c>: the defaults; SFT also <c>bucketed</c>: the defaults with length bucketing), the matmul rate
/// measured before and after (ratios use the higher), and the speed-ups over the baseline of each repeat.
/// </summary>
public sealed record TrainBenchmarkResult(
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("matmul_flops_per_s_before")] double MatmulBefore,
    [property: JsonPropertyName("matmul_flops_per_s_after")] double MatmulAfter,
    [property: JsonPropertyName("load_average_before")] string? LoadBefore,
    [property: JsonPropertyName("load_average_after")] string? LoadAfter,
    [property: JsonPropertyName("sft")] IReadOnlyList<TrainBenchmarkResult.SftMeasurement> Sft,
    [property: JsonPropertyName("grpo")] IReadOnlyList<TrainBenchmarkResult.GrpoMeasurement> Grpo,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>One SFT measurement.</summary>
    public sealed record SftMeasurement(
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("repeat")] int Repeat,
        [property: JsonPropertyName("summary")] SftRunSummary Summary);

    /// <summary>One GRPO measurement.</summary>
    public sealed record GrpoMeasurement(
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("repeat")] int Repeat,
        [property: JsonPropertyName("summary")] GrpoRunSummary Summary);

    /// <summary>SFT loss-carrying tokens per second, efficient ÷ baseline, per repeat.</summary>
    [JsonPropertyName("sft_speedups")]
    public IReadOnlyList<double> SftSpeedups => Pairs(Sft, m => m.Mode, m => m.Repeat, m => m.Summary.LossTokensPerSecond);

    /// <summary>SFT loss-carrying tokens per second, bucketed ÷ baseline, per repeat.</summary>
    [JsonPropertyName("sft_bucketed_speedups")]
    public IReadOnlyList<double> SftBucketedSpeedups => Pairs(Sft, m => m.Mode, m => m.Repeat, m => m.Summary.LossTokensPerSecond, TrainBenchmark.Bucketed);

    /// <summary>GRPO generated tokens per second of generation time, efficient ÷ baseline, per repeat.</summary>
    [JsonPropertyName("generation_speedups")]
    public IReadOnlyList<double> GenerationSpeedups => Pairs(Grpo, m => m.Mode, m => m.Repeat, m => m.Summary.GenerationTokensPerSecond);

    /// <summary>GRPO loss-carrying tokens per second of training time, efficient ÷ baseline, per repeat.</summary>
    [JsonPropertyName("grpo_training_speedups")]
    public IReadOnlyList<double> GrpoTrainingSpeedups => Pairs(Grpo, m => m.Mode, m => m.Repeat, m => m.Summary.TrainingLossTokensPerSecond);

    private static IReadOnlyList<double> Pairs<T>(IReadOnlyList<T> all, Func<T, string> mode, Func<T, int> repeat, Func<T, double> rate,
        string against = TrainBenchmark.Efficient) =>
        all.Where(m => mode(m) == against)
            .Select(e => (e, b: all.FirstOrDefault(m => mode(m) == TrainBenchmark.Baseline && repeat(m) == repeat(e))))
            .Where(p => p.b is not null && rate(p.b) > 0)
            .Select(p => rate(p.e) / rate(p.b!)).ToArray();

    /// <summary>The measurements as Markdown tables, for the terminal and docs/PERFORMANCE.md.</summary>
    public string ToMarkdown()
    {
        static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "—";
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Matmul rate (1024³ float32, {Threads} thread(s)): {MatmulBefore / 1e9:F1} GFLOP/s before, {MatmulAfter / 1e9:F1} after; load {LoadBefore} → {LoadAfter}.");
        md.AppendLine();
        if (Sft.Count > 0)
        {
            md.AppendLine("| SFT mode | repeat | steps | s | tokens/s | loss tokens/s | useful fraction | model FLOPs ratio | hardware FLOPs ratio |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (mode, repeat, s) in Sft)
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {mode} | {repeat} | {s.Steps} | {F(s.WallSeconds, "F1")} | {F(s.TokensPerSecond, "F0")} | {F(s.LossTokensPerSecond, "F0")} | {F(s.UsefulFraction, "F3")} | {F(s.ModelFlopsRatio, "F3")} | {F(s.HardwareFlopsRatio, "F3")} |");
            md.AppendLine();
            md.AppendLine($"SFT loss tokens/s, efficient ÷ baseline: {string.Join(", ", SftSpeedups.Select(x => F(x, "F2") + "×"))}; bucketed ÷ baseline: {string.Join(", ", SftBucketedSpeedups.Select(x => F(x, "F2") + "×"))}");
            md.AppendLine();
        }
        if (Grpo.Count > 0)
        {
            md.AppendLine("| GRPO mode | repeat | steps | generation s | generation tok/s | decode useful | generation hw ratio | training s | loss tok/s | training useful | micro-batches | training model ratio | training hw ratio | whole-step model ratio | whole-step hw ratio |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (mode, repeat, g) in Grpo)
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {mode} | {repeat} | {g.Steps} | {F(g.GenerationSeconds, "F1")} | {F(g.GenerationTokensPerSecond, "F0")} | {F(g.GenerationUsefulFraction, "F3")} | {F(g.GenerationHardwareFlopsRatio, "F3")} | {F(g.TrainingSeconds, "F1")} | {F(g.TrainingLossTokensPerSecond, "F0")} | {F(g.TrainingUsefulFraction, "F3")} | {F(g.MicroBatches, "F1")} | {F(g.TrainingModelFlopsRatio, "F3")} | {F(g.TrainingHardwareFlopsRatio, "F3")} | {F(g.ModelFlopsRatio, "F3")} | {F(g.HardwareFlopsRatio, "F3")} |");
            md.AppendLine();
            md.AppendLine($"GRPO generation tokens/s, efficient ÷ baseline: {string.Join(", ", GenerationSpeedups.Select(x => F(x, "F2") + "×"))}; training loss tokens/s: {string.Join(", ", GrpoTrainingSpeedups.Select(x => F(x, "F2") + "×"))}");
        }
        return md.ToString();
    }
}
