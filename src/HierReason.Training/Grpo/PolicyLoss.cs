using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// The clipped GRPO surrogate with an optional k3 KL penalty. Per token:
/// −min(ratio·A, clip(ratio, 1 − ε_low, 1 + ε_high)·A) + β·KL, with ratio = exp(logp − old) and
/// KL = exp(ref − logp) − (ref − logp) − 1; then aggregated as <see cref="LossType"/> says.
/// </summary>
public static class PolicyLoss
{
    /// <summary>
    /// <paramref name="logProbs"/> (B, T) carry the policy's graph; <paramref name="oldLogProbs"/> null means the
    /// rollout policy is this one (μ = 1, ratio 1 with the gradient of logp); <paramref name="refLogProbs"/> is needed only when β ≠ 0.
    /// <paramref name="advantages"/> is (B), one per completion (broadcast along T), or (B, T), one per token (process
    /// supervision); <paramref name="mask"/> (B, T) is 1 on trained tokens.
    /// <paramref name="numItemsInBatch"/> is DAPO's normaliser: active tokens across the whole accumulated batch (default: this batch's).
    /// </summary>
    public static PolicyLossResult Compute(
        Tensor logProbs,
        Tensor? oldLogProbs,
        Tensor? refLogProbs,
        Tensor advantages,
        Tensor mask,
        PolicyLossSettings settings,
        double? numItemsInBatch = null)
    {
        Check(logProbs, oldLogProbs, refLogProbs, advantages, mask, settings);
        using var scope = NewDisposeScope();
        var dtype = logProbs.dtype;
        var active = mask.to(ScalarType.Bool);                                               // (B, T)
        var zeros = zeros_like(logProbs);                                                    // (B, T)
        var old = (oldLogProbs ?? logProbs).detach();                                        // (B, T)
        // Padding may hold any value; where() keeps an inf there from turning the sums into NaN.
        var logRatio = where(active, logProbs - old, zeros);                                 // (B, T)
        var ratio = logRatio.exp();                                                          // (B, T)
        var adv = advantages.dim() == 1 ? advantages.to(dtype).unsqueeze(1) : advantages.to(dtype);  // (B, 1) or (B, T)
        var unclipped = ratio * adv;                                                         // (B, T)
        var clipped = ratio.clamp(1 - settings.Epsilon, 1 + settings.EpsilonHigh) * adv;     // (B, T)
        var perToken = -minimum(unclipped, clipped);                                         // (B, T)

        Tensor? kl = null;
        if (settings.Beta != 0)
        {
            var delta = where(active, refLogProbs!.detach() - logProbs, zeros);              // (B, T)
            kl = delta.exp() - delta - 1;                                                    // (B, T)
            perToken = perToken + settings.Beta * kl;
        }
        perToken = where(active, perToken, zeros);                                           // (B, T)

        var activeFloat = active.to(dtype);                                                  // (B, T)
        var tokenCount = activeFloat.sum();                                                  // ()
        var batch = logProbs.shape[0];
        var loss = settings.LossType switch
        {
            LossType.Grpo => (perToken.sum(1) / activeFloat.sum(1).clamp_min(1.0)).mean(),
            LossType.Bnpo => perToken.sum() / tokenCount.clamp_min(1.0),
            LossType.DrGrpo => perToken.sum() / (double)(batch * settings.MaxCompletionLength),
            LossType.Dapo => perToken.sum() / Math.Max(1.0, numItemsInBatch ?? tokenCount.ToDouble()),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.LossType, "unknown loss type"),
        };

        var metrics = Metrics(ratio.detach(), adv.detach(), kl?.detach(), active, activeFloat, tokenCount, settings);
        return new PolicyLossResult(loss.MoveToOuterDisposeScope(), metrics);
    }

    private static PolicyLossMetrics Metrics(
        Tensor ratio, Tensor adv, Tensor? kl, Tensor active, Tensor activeFloat, Tensor tokenCount, PolicyLossSettings settings)
    {
        var count = (long)tokenCount.ToDouble();
        double MaskedMean(Tensor values) => count == 0 ? 0.0 : (values.to(activeFloat.dtype) * activeFloat).sum().ToDouble() / count;

        // TRL's definitions: a token counts as clipped only where the clip changes its gradient (the ratio left the region
        // on the side its advantage pushes towards); a ratio outside the region on the other side is not clipped.
        // adv is (B, 1) or (B, T); either broadcasts to the ratio's (B, T).
        var low = (ratio < 1 - settings.Epsilon).logical_and(adv < 0);                       // (B, T)
        var high = (ratio > 1 + settings.EpsilonHigh).logical_and(adv > 0);                  // (B, T)
        return new PolicyLossMetrics(
            MeanKl: kl is null ? null : MaskedMean(kl),
            ClipLowFraction: MaskedMean(low),
            ClipHighFraction: MaskedMean(high),
            ClipRegionFraction: MaskedMean(low.logical_or(high)),
            MeanRatio: MaskedMean(ratio),
            ActiveTokens: count);
    }

    private static void Check(Tensor logProbs, Tensor? old, Tensor? reference, Tensor advantages, Tensor mask, PolicyLossSettings settings)
    {
        if (logProbs.dim() != 2) throw new ArgumentException($"logprobs must be (B, T), found [{string.Join(", ", logProbs.shape)}]", nameof(logProbs));
        var shape = logProbs.shape;
        if (old is not null && !old.shape.SequenceEqual(shape)) throw new ArgumentException("old logprobs must match logprobs' shape", nameof(old));
        if (!mask.shape.SequenceEqual(shape)) throw new ArgumentException("the mask must match logprobs' shape", nameof(mask));
        var perCompletion = advantages.dim() == 1 && advantages.shape[0] == shape[0];
        if (!perCompletion && !advantages.shape.SequenceEqual(shape))
            throw new ArgumentException($"advantages must be (B) or (B, T) = [{string.Join(", ", shape)}], found [{string.Join(", ", advantages.shape)}]", nameof(advantages));
        if (settings.Beta != 0 && (reference is null || !reference.shape.SequenceEqual(shape)))
            throw new ArgumentException("beta ≠ 0 needs reference logprobs of logprobs' shape", nameof(reference));
        if (settings.LossType == LossType.DrGrpo && settings.MaxCompletionLength < 1)
            throw new ArgumentException("dr_grpo divides by max_completion_length, which must be at least 1", nameof(settings));
    }
}
