using System.Text.Json.Serialization;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Rollouts;

namespace HierReason.Training.Evaluation;

/// <summary>
/// What k samples per item say that one greedy answer does not: pass@k (some sample is right), maj@k (the most common
/// answer is right) and the mean accuracy of a single sample. When pass@k is well above greedy accuracy the model
/// sometimes finds the answer it usually misses, which is what GRPO can sharpen; when they are close, there is little
/// for the reward to select.
/// </summary>
public sealed record SampledResult(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("k")] int K,
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("pass_at_k")] double PassAtK,
    [property: JsonPropertyName("maj_at_k")] double MajAtK,
    [property: JsonPropertyName("sample_accuracy")] double SampleAccuracy)
{
    public override string ToString() =>
        FormattableString.Invariant($"pass@{K} {PassAtK:P1}, maj@{K} {MajAtK:P1}, one sample {SampleAccuracy:P1} (T = {Temperature}, n = {N})");

    /// <summary>
    /// Scores groups of <paramref name="k"/> answers per item: <paramref name="answers"/> is item-major (item 0's k answers
    /// first). A missing answer is never right, and the majority ignores missing answers (ties go to the first answer given).
    /// </summary>
    public static SampledResult Of<TItem>(IReadOnlyList<TItem> items, IReadOnlyList<string?> answers, int k, double temperature, Func<string?, TItem, double> score)
    {
        if (answers.Count != items.Count * k) throw new ArgumentException($"{items.Count} items × {k} samples but {answers.Count} answers");
        if (items.Count == 0) return new SampledResult(0, k, temperature, 0, 0, 0);
        double pass = 0, majority = 0, single = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var group = answers.Skip(i * k).Take(k).ToArray();
            var scores = group.Select(a => score(a, items[i])).ToArray();
            pass += scores.Max();
            single += scores.Average();
            var top = group.Where(a => a is not null).GroupBy(a => a).OrderByDescending(g => g.Count()).FirstOrDefault();
            majority += top is null ? 0 : score(top.Key, items[i]);
        }
        return new SampledResult(items.Count, k, temperature, pass / items.Count, majority / items.Count, single / items.Count);
    }
}

/// <summary>Samples k vanilla episodes per item on the local model, through the shared runner, and scores them (<see cref="SampledResult"/>).</summary>
public sealed class SampledEvaluator(CausalLM model, ITokenizer tokenizer, ChatTemplate template, int k = 8, double temperature = 1.0, int batchSize = 32, int maxNewTokens = 192)
{
    public SampledResult Evaluate(IReadOnlyList<TaskItem> items, Func<string?, TaskItem, double> score, long seed = 0)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        var policy = new LocalPolicy(model, tokenizer, template, new PolicySampling(temperature), template.StopIds(tokenizer));
        var runner = new EpisodeRunner(policy, EpisodeStrategy.Vanilla, new EpisodeLimits(maxNewTokens));
        var answers = new List<string?>(items.Count * k);
        // Whole groups per batch: each item's prompt is prefilled once and shared by its k samples.
        var perBatch = Math.Max(1, batchSize / k);
        for (var start = 0; start < items.Count; start += perBatch)
        {
            var batch = items.Skip(start).Take(perBatch).ToArray();
            var episodes = runner.RunAsync(batch, k, unchecked(seed * 1_000_003 + start)).GetAwaiter().GetResult();
            answers.AddRange(episodes.Select(e => e.Answer(AnswerSource.Policy)));
        }
        return SampledResult.Of(items, answers, k, temperature, score);
    }
}
