using System.Diagnostics;
using HierReason.Core.Episodes;
using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// The policy update of a GRPO step, apart from rollouts and rewards: old (μ &gt; 1) and reference (β ≠ 0) log-probs
/// without gradients, then μ passes of <see cref="PolicyLoss"/> over <c>grad_accum</c> micro-batches with one optimiser
/// step per pass. Only the episode's policy tokens carry loss; restricted policy turns are scored with the same
/// restriction they were sampled under. A non-finite loss or gradient skips the update.
/// </summary>
public sealed class GrpoUpdate(CausalLM model, LoraAdapter? adapter, CausalLM? reference, TrainingOptimizer optimizer, GrpoOptions options, int gradAccum, int padTokenId)
{
    /// <summary>
    /// Updates the policy on <paramref name="episodes"/> with their <paramref name="advantages"/>; <paramref name="step"/> is the
    /// GRPO step (0-based) for the schedule. <paramref name="beforeStep"/>, when given, sees each pass's accumulated
    /// gradients before the optimiser uses (and clears) them.
    /// </summary>
    public GrpoUpdateResult Run(IReadOnlyList<Episode> episodes, IReadOnlyList<double> advantages, int step, Action? beforeStep = null)
    {
        if (episodes.Count == 0 || episodes.Count != advantages.Count) throw new ArgumentException("one advantage per episode, at least one episode");
        var scoreClock = Stopwatch.StartNew();
        var settings = PolicyLossSettings.From(options);
        var accum = Math.Clamp(gradAccum, 1, episodes.Count);
        var chunks = Enumerable.Range(0, accum)
            .Select(k => (Start: episodes.Count * k / accum, Count: episodes.Count * (k + 1) / accum - episodes.Count * k / accum))
            .Where(c => c.Count > 0).ToArray();
        var masks = CompletionMask.Build(episodes, options.MaskTruncatedCompletions);
        var activeTotal = 0.0;
        foreach (var v in masks) activeTotal += v;

        var old = new Tensor?[chunks.Length];
        var refs = new Tensor?[chunks.Length];
        using (no_grad())
        {
            for (var k = 0; k < chunks.Length; k++)
            {
                var batch = Slice(episodes, chunks[k]);
                if (options.NumIterations > 1) old[k] = LogProbsOnly(Score(model, batch)).DetachFromDisposeScope();
                if (options.Beta != 0) refs[k] = ReferenceScores(batch).DetachFromDisposeScope();
            }
        }
        var scoringSeconds = scoreClock.Elapsed.TotalSeconds;
        var passes = (options.NumIterations > 1 ? 1 : 0) + (options.Beta != 0 ? 1 : 0);
        var scoredTokens = passes * chunks.Sum(c => ComputedTokens(Slice(episodes, c)));

        var trainClock = Stopwatch.StartNew();
        double? loss = null, gradNorm = null, entropy = null, kl = null;
        double clip = 0, clipLow = 0, clipHigh = 0;
        long active = 0, trainedTokens = 0;
        var lr = optimizer.Schedule.At(step * options.NumIterations);
        string? bad = null;
        try
        {
            model.train();
            for (var iteration = 0; iteration < options.NumIterations && bad is null; iteration++)
            {
                optimizer.ZeroGrad();
                var passLoss = 0.0;
                double klSum = 0, clipSum = 0, lowSum = 0, highSum = 0, entropySum = 0;
                long passActive = 0;
                for (var k = 0; k < chunks.Length; k++)
                {
                    using var scope = NewDisposeScope();
                    var (start, count) = chunks[k];
                    var batch = Slice(episodes, chunks[k]);
                    using var scores = Score(model, batch, entropy: iteration == 0);
                    var logProbs = scores.LogProbs;                                                      // (b, T)
                    var mask = MaskSlice(masks, start, count, logProbs.shape[1], logProbs.device);     // (b, T)
                    var adv = tensor(advantages.Skip(start).Take(count).ToArray(), dtype: ScalarType.Float32, device: logProbs.device);  // (b)
                    using var result = PolicyLoss.Compute(logProbs, old[k], refs[k], adv, mask, settings,
                        options.LossType == LossType.Dapo ? Math.Max(1.0, activeTotal) : null);
                    // Every loss type but DAPO (which already divides by the whole batch's tokens) is a mean over its micro-batch.
                    var scaled = options.LossType == LossType.Dapo ? result.Loss : result.Loss * ((double)count / episodes.Count);
                    var value = scaled.ToDouble();
                    if (!double.IsFinite(value))
                    {
                        bad = $"the loss is {value}";
                        break;
                    }
                    scaled.backward();
                    passLoss += value;
                    var n = result.Metrics.ActiveTokens;
                    passActive += n;
                    klSum += (result.Metrics.MeanKl ?? 0) * n;
                    clipSum += result.Metrics.ClipRegionFraction * n;
                    lowSum += result.Metrics.ClipLowFraction * n;
                    highSum += result.Metrics.ClipHighFraction * n;
                    if (scores.Entropy is { } h) entropySum += (h * mask).sum().ToDouble();
                    trainedTokens += ComputedTokens(batch);
                }
                if (bad is not null)
                {
                    optimizer.ZeroGrad();
                    break;
                }
                beforeStep?.Invoke();
                optimizer.StepCount = step * options.NumIterations + iteration;
                if (optimizer.TryStep() is not { } update)
                {
                    bad = "the gradient norm is not finite";
                    break;
                }
                (gradNorm, lr) = update;
                loss = passLoss;
                active = passActive;
                var denominator = Math.Max(1, passActive);
                kl = options.Beta != 0 ? klSum / denominator : null;
                clip = clipSum / denominator;
                clipLow = lowSum / denominator;
                clipHigh = highSum / denominator;
                if (iteration == 0) entropy = entropySum / denominator;
            }
        }
        finally
        {
            foreach (var t in old) t?.Dispose();
            foreach (var t in refs) t?.Dispose();
        }
        optimizer.StepCount = (step + 1) * options.NumIterations;
        return new GrpoUpdateResult(bad is null ? loss : null, gradNorm, lr, kl, entropy, clip, clipLow, clipHigh, active, trainedTokens,
            scoredTokens, scoringSeconds, trainClock.Elapsed.TotalSeconds, bad);
    }

    private static Episode[] Slice(IReadOnlyList<Episode> episodes, (int Start, int Count) chunk) => episodes.Skip(chunk.Start).Take(chunk.Count).ToArray();

    /// <summary>Tokens a scoring pass runs through the model: each distinct prompt once (the scorer shares it across its group) plus every completion.</summary>
    public static long ComputedTokens(IReadOnlyList<Episode> episodes) =>
        episodes.Select(e => e.Prompt.TokenIds!).Distinct(TokenSequenceComparer.Instance).Sum(p => (long)p.Count) + episodes.Sum(e => (long)e.CompletionTokenIds.Count);

    private static Tensor MaskSlice(float[,] masks, int start, int count, long width, Device device)
    {
        var data = new float[count * width];
        for (var b = 0; b < count; b++)
            for (var t = 0; t < width && t < masks.GetLength(1); t++)
                data[b * width + t] = masks[start + b, t];
        return tensor(data, [count, width], ScalarType.Float32).to(device);
    }

    private Tensor ReferenceScores(IReadOnlyList<Episode> batch)
    {
        if (adapter is not null)
        {
            using (adapter.Disable()) return LogProbsOnly(Score(model, batch));
        }
        return LogProbsOnly(Score(reference!, batch));
    }

    private static Tensor LogProbsOnly(CompletionScores scores)
    {
        scores.Mask.Dispose();
        scores.Entropy?.Dispose();
        return scores.LogProbs;
    }

    private CompletionScores Score(CausalLM scorer, IReadOnlyList<Episode> batch, bool entropy = false)
    {
        var pairs = batch.Select(e => (e.Prompt.TokenIds!, e.CompletionTokenIds)).ToArray();
        var restricted = batch.Any(e => e.PolicySegments.Any(s => s.AllowedTokenIds is not null)) ? batch.Select(RestrictedSpans).ToArray() : null;
        return CompletionScorer.Score(scorer, pairs, options.Temperature, padTokenId, restricted, entropy);
    }

    /// <summary>The completion positions of an episode's restricted policy turns, with their allowed ids.</summary>
    public static IReadOnlyList<RestrictedSpan> RestrictedSpans(Episode episode)
    {
        var spans = new List<RestrictedSpan>();
        var position = 0;
        foreach (var segment in episode.Completion)
        {
            var length = segment.TokenIds?.Count ?? 0;
            if (episode.IsPolicy(segment) && segment.AllowedTokenIds is { } allowed && length > 0) spans.Add(new RestrictedSpan(position, length, allowed));
            position += length;
        }
        return spans;
    }
}
