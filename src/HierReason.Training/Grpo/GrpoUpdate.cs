using System.Diagnostics;
using HierReason.Core.Episodes;
using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using HierReason.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// The policy update of a GRPO step, apart from rollouts and rewards: old (μ &gt; 1) and reference (β ≠ 0) log-probs
/// without gradients, then μ passes of <see cref="PolicyLoss"/> over micro-batches with one optimiser step per pass. Each
/// pass runs every distinct prompt once (<see cref="PromptPrefix"/>; their common start once for all) and its micro-batches
/// only the completions, cut as <see cref="MicroBatching"/> plans (sorted by length by default, none larger than a
/// <c>grad_accum</c>-th of the batch at its longest completion).
/// Only the episode's policy tokens carry loss; restricted policy turns are scored with the same restriction they were
/// sampled under. A non-finite loss or gradient skips the update.
/// </summary>
public sealed class GrpoUpdate(CausalLM model, LoraAdapter? adapter, CausalLM? reference, TrainingOptimizer optimizer, GrpoOptions options, int gradAccum, int padTokenId,
    GrpoEfficiency? efficiency = null)
{
    private readonly MicroBatching _batching = (efficiency ?? GrpoEfficiency.Default).MicroBatching;
    private readonly bool _sharePrefix = (efficiency ?? GrpoEfficiency.Default).SharePromptPrefix;

    /// <summary>
    /// Updates the policy on <paramref name="episodes"/> with their <paramref name="advantages"/>; <paramref name="step"/> is the
    /// GRPO step (0-based) for the schedule. <paramref name="beforeStep"/>, when given, sees each pass's accumulated
    /// gradients before the optimiser uses (and clears) them. With <paramref name="apply"/> false the gradients are only
    /// computed (for <paramref name="beforeStep"/>) and cleared: weights and optimiser state stay as they were.
    /// </summary>
    public GrpoUpdateResult Run(IReadOnlyList<Episode> episodes, IReadOnlyList<double> advantages, int step, Action? beforeStep = null, bool apply = true)
    {
        if (episodes.Count == 0 || episodes.Count != advantages.Count) throw new ArgumentException("one advantage per episode, at least one episode");
        return Run(episodes, (rows, _, device) => tensor(rows.Select(r => advantages[r]).ToArray(), dtype: ScalarType.Float32, device: device), step, beforeStep, apply);  // (b)
    }

    /// <summary>
    /// As <see cref="Run(IReadOnlyList{Episode}, IReadOnlyList{double}, int, Action?, bool)"/> with one advantage per completion
    /// token (<see cref="ProcessAdvantages"/>): <paramref name="tokenAdvantages"/>[i] has one entry per token of episode i's
    /// <see cref="Episode.CompletionTokenIds"/>, the positions <see cref="CompletionMask"/> uses (environment tokens included, masked out).
    /// </summary>
    public GrpoUpdateResult Run(IReadOnlyList<Episode> episodes, IReadOnlyList<float[]> tokenAdvantages, int step, Action? beforeStep = null, bool apply = true)
    {
        if (episodes.Count == 0 || episodes.Count != tokenAdvantages.Count) throw new ArgumentException("one advantage row per episode, at least one episode");
        for (var i = 0; i < episodes.Count; i++)
            if (tokenAdvantages[i].Length != episodes[i].CompletionTokenIds.Count)
                throw new ArgumentException($"episode {i} has {episodes[i].CompletionTokenIds.Count} completion tokens but {tokenAdvantages[i].Length} advantages");
        return Run(episodes, (rows, width, device) => AdvantageRows(tokenAdvantages, rows, width, device), step, beforeStep, apply);  // (b, T)
    }

    private GrpoUpdateResult Run(IReadOnlyList<Episode> episodes, Func<int[], long, Device, Tensor> advantageRows, int step, Action? beforeStep, bool apply)
    {
        // Masked segments after the last policy token change no loss, and may pass the model's positions.
        episodes = episodes.Select(e => e.UpToLastPolicyToken()).ToArray();
        var scoreClock = Stopwatch.StartNew();
        var settings = PolicyLossSettings.From(options);
        var chunks = _batching.Plan(episodes.Select(e => e.CompletionTokenIds.Count).ToArray(), gradAccum, options.LossType);
        var masks = CompletionMask.Build(episodes, options.MaskTruncatedCompletions);
        var activeTotal = 0.0;
        foreach (var v in masks) activeTotal += v;
        var (prompts, promptOf) = DistinctPrompts(episodes);
        var pass = PassWork.Of(DecoderShape.Of(model.Config), prompts, episodes, chunks, _sharePrefix);

        var old = new Tensor?[chunks.Length];
        var refs = new Tensor?[chunks.Length];
        var refLabels = new RestrictedDistributions?[chunks.Length];
        var labelKl = options.LabelKl != 0;
        using (no_grad())
        {
            if (options.NumIterations > 1)
            {
                using var prefix = PromptPrefix.Run(model, prompts, padTokenId, _sharePrefix);
                for (var k = 0; k < chunks.Length; k++) old[k] = LogProbsOnly(Score(model, prefix, episodes, promptOf, chunks[k])).DetachFromDisposeScope();
            }
            if (options.NeedsReference)
            {
                using var disabled = adapter?.Disable();
                var scorer = adapter is not null ? model : reference!;
                using var prefix = PromptPrefix.Run(scorer, prompts, padTokenId, _sharePrefix);
                for (var k = 0; k < chunks.Length; k++)
                {
                    var scores = Score(scorer, prefix, episodes, promptOf, chunks[k]);
                    if (labelKl) refLabels[k] = scores.Restricted?.DetachFromDisposeScope();
                    var logProbs = LogProbsOnly(scores, keepRestricted: labelKl);
                    if (options.Beta != 0) refs[k] = logProbs.DetachFromDisposeScope();
                    else logProbs.Dispose();
                }
            }
        }
        var scoringSeconds = scoreClock.Elapsed.TotalSeconds;
        var passes = (options.NumIterations > 1 ? 1 : 0) + (options.NeedsReference ? 1 : 0);
        var scoredTokens = passes * ComputedTokens(episodes);

        var trainClock = Stopwatch.StartNew();
        double? loss = null, gradNorm = null, entropy = null, kl = null, labelKlMean = null;
        double clip = 0, clipLow = 0, clipHigh = 0;
        long active = 0, trainedTokens = 0, trainedPositions = 0, lossTokens = 0;
        var trainingFlops = 0.0;
        var lr = optimizer.Schedule.At(step * options.NumIterations);
        string? bad = null;
        try
        {
            model.train();
            for (var iteration = 0; iteration < options.NumIterations && bad is null; iteration++)
            {
                optimizer.ZeroGrad();
                var passLoss = 0.0;
                double klSum = 0, clipSum = 0, lowSum = 0, highSum = 0, entropySum = 0, labelKlSum = 0;
                var labelKlChunks = 0;
                long passActive = 0;
                using var prefix = PromptPrefix.Run(model, prompts, padTokenId, _sharePrefix);
                // Micro-batches backpropagate into these leaves; the prompts' forward is backpropagated once, after the last.
                using var leaves = prefix.Detach();
                for (var k = 0; k < chunks.Length; k++)
                {
                    using var scope = NewDisposeScope();
                    var rows = chunks[k];
                    using var scores = Score(model, leaves, episodes, promptOf, rows, entropy: iteration == 0);
                    var logProbs = scores.LogProbs;                                                      // (b, T)
                    var mask = MaskRows(masks, rows, logProbs.shape[1], logProbs.device);              // (b, T)
                    var adv = advantageRows(rows, logProbs.shape[1], logProbs.device);                  // (b) or (b, T)
                    using var result = PolicyLoss.Compute(logProbs, old[k], refs[k], adv, mask, settings,
                        options.LossType == LossType.Dapo ? Math.Max(1.0, activeTotal) : null);
                    // Every loss type but DAPO (which already divides by the whole batch's tokens) is a mean over its micro-batch.
                    var scaled = options.LossType == LossType.Dapo ? result.Loss : result.Loss * ((double)rows.Length / episodes.Count);
                    // Seed 000's label KL: the micro-batch's mean over its restricted positions, weighted by its share of the batch.
                    if (labelKl && refLabels[k] is { } anchor && scores.Restricted is { } current)
                    {
                        var divergence = current.MeanKlFrom(anchor);
                        labelKlSum += divergence.ToDouble();
                        labelKlChunks++;
                        scaled = scaled + divergence * (options.LabelKl * rows.Length / episodes.Count);
                    }
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
                }
                if (bad is not null)
                {
                    optimizer.ZeroGrad();
                    break;
                }
                prefix.Backward(leaves);
                trainedTokens += ComputedTokens(episodes);
                trainedPositions += pass.Positions;
                trainingFlops += 3 * pass.ForwardFlops;
                beforeStep?.Invoke();
                if (!apply) optimizer.ZeroGrad();
                else
                {
                    optimizer.StepCount = step * options.NumIterations + iteration;
                    if (optimizer.TryStep() is not { } update)
                    {
                        bad = "the gradient norm is not finite";
                        break;
                    }
                    (gradNorm, lr) = update;
                }
                loss = passLoss;
                lossTokens += passActive;
                active = passActive;
                var denominator = Math.Max(1, passActive);
                kl = options.Beta != 0 ? klSum / denominator : null;
                labelKlMean = labelKl && labelKlChunks > 0 ? labelKlSum / labelKlChunks : null;
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
            foreach (var d in refLabels) d?.Dispose();
        }
        if (apply) optimizer.StepCount = (step + 1) * options.NumIterations;
        return new GrpoUpdateResult(bad is null ? loss : null, gradNorm, lr, kl, entropy, clip, clipLow, clipHigh, active, trainedTokens,
            scoredTokens, scoringSeconds, trainClock.Elapsed.TotalSeconds, bad)
        {
            MicroBatches = chunks.Length,
            LabelKl = labelKlMean,
            TrainedPositions = trainedPositions,
            TrainedLossTokens = lossTokens,
            TrainingFlops = trainingFlops,
            ScoringFlops = passes * pass.ForwardFlops,
        };
    }

    /// <summary>Tokens a scoring pass runs through the model: each distinct prompt once (the scorer shares it across its group) plus every completion.</summary>
    public static long ComputedTokens(IReadOnlyList<Episode> episodes) =>
        episodes.Select(e => e.Prompt.TokenIds!).Distinct(TokenSequenceComparer.Instance).Sum(p => (long)p.Count) + episodes.Sum(e => (long)e.CompletionTokenIds.Count);

    /// <summary>The distinct prompts in first-seen order and, per episode, the index of its prompt among them.</summary>
    private static (List<IReadOnlyList<int>> Prompts, long[] PromptOf) DistinctPrompts(IReadOnlyList<Episode> episodes)
    {
        var prompts = new List<IReadOnlyList<int>>();
        var seen = new Dictionary<IReadOnlyList<int>, int>(TokenSequenceComparer.Instance);
        var promptOf = new long[episodes.Count];
        for (var i = 0; i < episodes.Count; i++)
        {
            var ids = episodes[i].Prompt.TokenIds!;
            if (!seen.TryGetValue(ids, out var k))
            {
                k = prompts.Count;
                seen[ids] = k;
                prompts.Add(ids);
            }
            promptOf[i] = k;
        }
        return (prompts, promptOf);
    }

    private static Tensor MaskRows(float[,] masks, int[] rows, long width, Device device)
    {
        var data = new float[rows.Length * width];
        for (var b = 0; b < rows.Length; b++)
            for (var t = 0; t < width && t < masks.GetLength(1); t++)
                data[b * width + t] = masks[rows[b], t];
        return tensor(data, [rows.Length, width], ScalarType.Float32).to(device);
    }

    /// <summary>The rows' per-token advantages, right-padded with 0 (or cut: the batch drops what follows the last policy token) to <paramref name="width"/>.</summary>
    private static Tensor AdvantageRows(IReadOnlyList<float[]> advantages, int[] rows, long width, Device device)
    {
        var data = new float[rows.Length * width];
        for (var b = 0; b < rows.Length; b++)
        {
            var row = advantages[rows[b]];
            Array.Copy(row, 0, data, b * width, Math.Min(width, row.Length));
        }
        return tensor(data, [rows.Length, width], ScalarType.Float32).to(device);
    }

    /// <summary>The scores' log-probs; everything else disposed, but for the restricted distributions when <paramref name="keepRestricted"/> (the caller took them).</summary>
    private static Tensor LogProbsOnly(CompletionScores scores, bool keepRestricted = false)
    {
        scores.Mask.Dispose();
        scores.Entropy?.Dispose();
        if (!keepRestricted) scores.Restricted?.Dispose();
        return scores.LogProbs;
    }

    private CompletionScores Score(CausalLM scorer, PromptPrefix prefix, IReadOnlyList<Episode> episodes, long[] promptOf, int[] rows, bool entropy = false)
    {
        var batch = rows.Select(r => episodes[r]).ToArray();
        var restricted = batch.Any(e => e.PolicySegments.Any(s => s.AllowedTokenIds is not null)) ? batch.Select(RestrictedSpans).ToArray() : null;
        return CompletionScorer.Score(scorer, prefix, rows.Select(r => promptOf[r]).ToArray(), batch.Select(e => e.CompletionTokenIds).ToArray(),
            options.Temperature, padTokenId, restricted, entropy);
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
