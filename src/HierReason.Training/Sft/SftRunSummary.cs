using System.Text.Json;
using System.Text.Json.Serialization;

namespace HierReason.Training.Sft;

/// <summary>
/// What an SFT run did in this process (<c>training_summary.json</c>): tokens, how many carried loss, the positions the
/// model computed for them, and throughput against the same run's matmul rate: <c>model_flops_ratio</c> counts 6·N per
/// loss-carrying token (N the matmul parameters), <c>hardware_flops_ratio</c> every computed position, padding and
/// attention included.
/// </summary>
public sealed record SftRunSummary
{
    internal static readonly JsonSerializerOptions Options = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [JsonPropertyName("experiment")] public string Experiment { get; init; } = "";
    [JsonPropertyName("steps")] public int Steps { get; init; }
    [JsonPropertyName("final_step")] public int FinalStep { get; init; }
    [JsonPropertyName("bucket_steps")] public int BucketSteps { get; init; }
    [JsonPropertyName("matmul_parameters")] public long MatmulParameters { get; init; }
    [JsonPropertyName("wall_s")] public double WallSeconds { get; init; }
    [JsonPropertyName("tokens")] public long Tokens { get; init; }
    [JsonPropertyName("loss_tokens")] public long LossTokens { get; init; }
    [JsonPropertyName("computed_positions")] public long ComputedPositions { get; init; }
    /// <summary>Loss-carrying tokens over computed positions.</summary>
    [JsonPropertyName("useful_fraction")] public double? UsefulFraction { get; init; }
    [JsonPropertyName("tokens_per_s")] public double TokensPerSecond { get; init; }
    [JsonPropertyName("loss_tokens_per_s")] public double LossTokensPerSecond { get; init; }
    [JsonPropertyName("model_flops")] public double ModelFlops { get; init; }
    [JsonPropertyName("hardware_flops")] public double HardwareFlops { get; init; }
    [JsonPropertyName("matmul_flops_per_s")] public double? MatmulFlopsPerSecond { get; init; }
    [JsonPropertyName("model_flops_ratio")] public double? ModelFlopsRatio { get; init; }
    [JsonPropertyName("hardware_flops_ratio")] public double? HardwareFlopsRatio { get; init; }
    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("load_average")] public string? LoadAverage { get; init; }

    /// <summary>The totals of <paramref name="steps"/> over <paramref name="matmul"/> (FLOP/s; null when no step ran).</summary>
    public static SftRunSummary Of(string experiment, IReadOnlyList<SftStepMetrics> steps, int finalStep, int bucketSteps, long matmulParameters, double? matmul)
    {
        double Sum(Func<SftStepMetrics, double> f) => steps.Sum(f);
        var seconds = Sum(m => m.StepSeconds);
        var lossTokens = Sum(m => m.LossTokens);
        var positions = Sum(m => m.ComputedPositions);
        var modelFlops = 6.0 * matmulParameters * lossTokens;
        var hardwareFlops = Sum(m => m.Flops);
        double? Ratio(double flops) => matmul is { } rate && rate > 0 && seconds > 0 ? flops / seconds / rate : null;
        return new SftRunSummary
        {
            Experiment = experiment,
            Steps = steps.Count,
            FinalStep = finalStep,
            BucketSteps = bucketSteps,
            MatmulParameters = matmulParameters,
            WallSeconds = seconds,
            Tokens = (long)Sum(m => m.Tokens),
            LossTokens = (long)lossTokens,
            ComputedPositions = (long)positions,
            UsefulFraction = positions > 0 ? lossTokens / positions : null,
            TokensPerSecond = seconds > 0 ? Sum(m => m.Tokens) / seconds : 0,
            LossTokensPerSecond = seconds > 0 ? lossTokens / seconds : 0,
            ModelFlops = modelFlops,
            HardwareFlops = hardwareFlops,
            MatmulFlopsPerSecond = matmul,
            ModelFlopsRatio = Ratio(modelFlops),
            HardwareFlopsRatio = Ratio(hardwareFlops),
            Threads = TorchSharp.torch.get_num_threads(),
        };
    }
}
