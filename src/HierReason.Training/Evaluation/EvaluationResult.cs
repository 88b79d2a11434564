using System.Text.Json.Serialization;
using HierReason.Core.Results;

namespace HierReason.Training.Evaluation;

/// <summary>
/// Accuracy (mean score ± standard error of the mean) and the share of well-formed completions over <see cref="N"/> items,
/// of which <see cref="Questions"/> are distinct questions. The standard error is clustered by question
/// (<see cref="QuestionSums"/>): a greedy model answers a repeated question the same way each time, so only distinct
/// questions are independent draws.
/// </summary>
public sealed record EvaluationResult(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("stderr")] double StdErr,
    [property: JsonPropertyName("format_rate")] double FormatRate,
    [property: JsonPropertyName("questions")] int? Questions = null)
{
    /// <summary>
    /// Summarises per-item scores in [0, 1] and well-formedness flags. With <paramref name="questions"/> (each item's
    /// question text) the standard error is clustered by question; without, every item counts as its own question and it is
    /// the sample standard deviation (n − 1) ÷ √n.
    /// </summary>
    public static EvaluationResult From(IReadOnlyList<double> scores, IReadOnlyList<bool> wellFormed, IReadOnlyList<string>? questions = null)
    {
        var n = scores.Count;
        if (n == 0) return new EvaluationResult(0, 0, 0, 0, 0);
        if (questions is not null && questions.Count != n) throw new ArgumentException($"{n} scores but {questions.Count} questions");
        var sums = QuestionSums.Of(Enumerable.Range(0, n), i => questions is null ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : questions[i], i => scores[i]);
        return new EvaluationResult(n, sums.Mean, sums.StdErr, wellFormed.Count(f => f) / (double)n, (int)sums.Questions);
    }

    public override string ToString() =>
        FormattableString.Invariant($"accuracy {Accuracy:P1} ± {StdErr:P1}, format {FormatRate:P0} (n = {N}") +
        (Questions is { } q && q < N ? FormattableString.Invariant($", {q} distinct questions)") : ")");
}
