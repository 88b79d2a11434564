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
    [property: JsonPropertyName("constant_answer_accuracy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ConstantAnswerAccuracy = null,
    [property: JsonPropertyName("gold_distinct_answers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? GoldDistinctAnswers = null)
{
    /// <summary>
    /// Adds the answer-collapse diagnostics of <see cref="AnswerTally"/> (the one definition the benchmark uses too): how many
    /// distinct answers the model gave (<paramref name="extracted"/>; a missing answer counts as one more "answer"), how many
    /// distinct gold answers the items have, the share of the model's most common answer, and the accuracy of always giving
    /// the split's most common gold answer (<paramref name="gold"/>, scored by <paramref name="score"/>, so answers the
    /// verifier accepts in other spellings count).
    /// </summary>
    public EvaluationResult WithAnswers<TItem>(IReadOnlyList<string?> extracted, IReadOnlyList<TItem> items, Func<TItem, string> gold, Func<string?, TItem, double> score)
    {
        if (extracted.Count != N || items.Count != N) throw new ArgumentException($"{N} scores but {extracted.Count} answers and {items.Count} items");
        if (N == 0) return this;
        var tally = AnswerTally.Of(extracted, items, gold, score);
        return this with
        {
            DistinctAnswers = tally.DistinctAnswers,
            GoldDistinctAnswers = tally.GoldDistinctAnswers,
            TopAnswerShare = tally.TopAnswerShare,
            ConstantAnswerAccuracy = tally.ConstantAnswerAccuracy,
        };
    }

    /// <summary>The accuracy's 95 % Wilson interval (<see cref="ProportionInterval"/>).</summary>
    [JsonIgnore]
    public ProportionInterval Interval => ProportionInterval.Of(Accuracy, StdErr, N, Questions);

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

    /// <summary>"accuracy 12.5 % [7.4 %, 19.1 %]" (the 95 % Wilson interval on the effective n, honest at 0 % and 100 %), then format, n and the answer diagnostics.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"accuracy {Accuracy:P1} [{Interval.Low:P1}, {Interval.High:P1}], format {FormatRate:P0} (n = {N}") +
        (Questions is { } q && q < N ? FormattableString.Invariant($", {q} distinct questions)") : ")") +
        (DistinctAnswers is { } d && TopAnswerShare is { } top && ConstantAnswerAccuracy is { } c
            ? FormattableString.Invariant($"; {d} distinct answer{(d == 1 ? "" : "s")}, the most common {top:P0}; constant-answer accuracy {c:P1}")
            : "");
}
