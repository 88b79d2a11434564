using System.Text.Json.Serialization;

namespace HierReason.Training.Evaluation;

/// <summary>Accuracy (mean score ± standard error of the mean) and the share of well-formed completions over <see cref="N"/> items.</summary>
public sealed record EvaluationResult(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("stderr")] double StdErr,
    [property: JsonPropertyName("format_rate")] double FormatRate)
{
    /// <summary>Summarises per-item scores in [0, 1] and well-formedness flags; the stderr uses the sample variance (n − 1).</summary>
    public static EvaluationResult From(IReadOnlyList<double> scores, IReadOnlyList<bool> wellFormed)
    {
        var n = scores.Count;
        if (n == 0) return new EvaluationResult(0, 0, 0, 0);
        var mean = scores.Average();
        var variance = n > 1 ? scores.Sum(s => (s - mean) * (s - mean)) / (n - 1) : 0.0;
        return new EvaluationResult(n, mean, Math.Sqrt(variance / n), wellFormed.Count(f => f) / (double)n);
    }

    public override string ToString() =>
        FormattableString.Invariant($"accuracy {Accuracy:P1} ± {StdErr:P1}, format {FormatRate:P0} (n = {N})");
}
