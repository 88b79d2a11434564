using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// What k samples per item say that one answer does not: pass@k (some sample is right), maj@k (the most common answer is
/// right) and the mean accuracy of a single sample. When pass@k is well above greedy accuracy the model sometimes finds the
/// answer it usually misses, which is what GRPO can sharpen; when they are close, there is little for the reward to select.
/// The benchmark worker (k = models.json's <c>generation.n</c>) and GRPO's readiness check both score with this one definition.
/// <see cref="PassAt"/> adds the unbiased pass@j curve for j = 1, 2, 4, … k (<see cref="PassAtEstimator"/>): what a budget of
/// j samples would find, which <see cref="PassAtK"/> (some of all k is right) overstates for j &lt; k.
/// </summary>
/// <param name="PassAt">pass@j by j (the powers of two up to k, and k), unbiased, counting a sample as right when it scores 1;
/// null with no items and in results written before it existed.</param>
public sealed record SampledResult(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("k")] int K,
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("pass_at_k")] double PassAtK,
    [property: JsonPropertyName("maj_at_k")] double MajAtK,
    [property: JsonPropertyName("sample_accuracy")] double SampleAccuracy,
    [property: JsonPropertyName("pass_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ValueMap<int, double>? PassAt = null)
{
    public override string ToString() =>
        FormattableString.Invariant($"pass@{K} {PassAtK:P1}, maj@{K} {MajAtK:P1}, one sample {SampleAccuracy:P1} (T = {Temperature}, n = {N})");

    /// <summary>
    /// Scores groups of <paramref name="k"/> answers per item: <paramref name="answers"/> is item-major (item 0's k answers
    /// first), each scored against its item by <paramref name="score"/> (the task's verifier). See <see cref="OfScored"/>.
    /// </summary>
    public static SampledResult Of<TItem>(IReadOnlyList<TItem> items, IReadOnlyList<string?> answers, int k, double temperature, Func<string?, TItem, double> score)
    {
        if (answers.Count != items.Count * k) throw new ArgumentException($"{items.Count} items × {k} samples but {answers.Count} answers");
        return OfScored(answers.Select((a, i) => (a, score(a, items[i / k]))).ToArray(), k, temperature);
    }

    /// <summary>
    /// The figures of answers already scored (the score an answer got depends only on the answer and its item, so the
    /// majority answer's score is that of any sample that gave it): <paramref name="samples"/> is item-major, k per item.
    /// pass@k takes the best score of the group, maj@k the majority answer's score and the one-sample accuracy the group's
    /// mean, so partial credit (scores in (0, 1)) carries through as it is.
    /// A missing answer scores what the verifier gave it (0), and the majority ignores missing answers (a group without any
    /// answer has no majority and scores 0); ties go to the answer given first.
    /// </summary>
    public static SampledResult OfScored(IReadOnlyList<(string? Answer, double Score)> samples, int k, double temperature)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        if (samples.Count % k != 0) throw new ArgumentException($"{samples.Count} samples do not split into groups of {k}");
        var items = samples.Count / k;
        if (items == 0) return new SampledResult(0, k, temperature, 0, 0, 0);
        double pass = 0, majority = 0, single = 0;
        for (var i = 0; i < items; i++)
        {
            var group = samples.Skip(i * k).Take(k).ToArray();
            pass += group.Max(s => s.Score);
            single += group.Average(s => s.Score);
            // GroupBy keeps the order of first appearance and OrderByDescending is stable: a tie goes to the first answer given.
            var top = group.Where(s => s.Answer is not null).GroupBy(s => s.Answer).OrderByDescending(g => g.Count()).FirstOrDefault();
            majority += top is null ? 0 : top.First().Score;
        }
        return new SampledResult(items, k, temperature, pass / items, majority / items, single / items,
            PassAtEstimator.Curve(samples.Select(s => s.Score).ToList(), k));
    }
}
