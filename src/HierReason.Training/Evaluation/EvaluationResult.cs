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
    [property: JsonPropertyName("questions")] int? Questions = null,
    [property: JsonPropertyName("distinct_answers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DistinctAnswers = null,
    [property: JsonPropertyName("top_answer_share"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TopAnswerShare = null,
    [property: JsonPropertyName("constant_answer_accuracy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ConstantAnswerAccuracy = null)
{
    /// <summary>
    /// Adds the answer-collapse diagnostics: how many distinct answers the model gave (<paramref name="extracted"/>; a
    /// missing answer counts as one more "answer"), the share of its most common one, and the accuracy of always giving
    /// the split's most common gold answer (<paramref name="gold"/>, scored by <paramref name="score"/>, so answers the
    /// verifier accepts in other spellings count). A model whose accuracy is near that constant-answer accuracy while one
    /// answer dominates has learned the answer distribution, not the task.
    /// </summary>
    public EvaluationResult WithAnswers<TItem>(IReadOnlyList<string?> extracted, IReadOnlyList<TItem> items, Func<TItem, string> gold, Func<string?, TItem, double> score)
    {
        if (extracted.Count != N || items.Count != N) throw new ArgumentException($"{N} scores but {extracted.Count} answers and {items.Count} items");
        if (N == 0) return this;
        var given = extracted.GroupBy(a => a).Select(g => g.Count()).ToArray(); // null (no answer) is a group of its own
        // Most common gold answer; ties go to the first in item order, so the figure does not depend on hashing.
        var constant = items.Select(gold).GroupBy(a => a).OrderByDescending(g => g.Count()).First().Key;
        return this with
        {
            DistinctAnswers = given.Length,
            TopAnswerShare = given.Max() / (double)N,
            ConstantAnswerAccuracy = items.Average(i => score(constant, i)),
        };
    }

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
        (Questions is { } q && q < N ? FormattableString.Invariant($", {q} distinct questions)") : ")") +
        (DistinctAnswers is { } d && TopAnswerShare is { } top && ConstantAnswerAccuracy is { } c
            ? FormattableString.Invariant($"; {d} distinct answer{(d == 1 ? "" : "s")}, the most common {top:P0}; constant-answer accuracy {c:P1}")
            : "");
}
