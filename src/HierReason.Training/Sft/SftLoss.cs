using static TorchSharp.torch;

namespace HierReason.Training.Sft;

/// <summary>Cross-entropy of the completion tokens only: the mean over every unmasked target of the batch.</summary>
public static class SftLoss
{
    /// <summary>A scalar: Σ mask·CE / Σ mask, computed in float32 whatever the logits' dtype.</summary>
    /// <param name="logits">(B, T, V) next-token logits.</param>
    /// <param name="targets">(B, T) int64 target ids (any value where the mask is 0).</param>
    /// <param name="mask">(B, T) 1 where the target is learned, 0 elsewhere.</param>
    public static Tensor Compute(Tensor logits, Tensor targets, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.to(ScalarType.Float32);
        var loss = Sum(logits, targets, m) / m.sum().clamp_min(1.0);                     // ()
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Σ mask·CE, float32: the numerator of <see cref="Compute"/>, for losses assembled from several forwards.</summary>
    public static Tensor Sum(Tensor logits, Tensor targets, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var logProbs = logits.to(ScalarType.Float32).log_softmax(-1);                    // (B, T, V)
        var picked = logProbs.gather(-1, targets.unsqueeze(-1)).squeeze(-1);             // (B, T)
        return (-(picked * mask.to(ScalarType.Float32)).sum()).MoveToOuterDisposeScope();  // ()
    }
}
