using static TorchSharp.torch;

namespace HierReason.Training.Preference;

/// <summary>log π(response | prompt) of each row: the sum of the per-token log-probs of its response tokens (mask 1), float32.</summary>
public static class SequenceLogProbs
{
    /// <param name="logits">(B, T, V) next-token logits: position t predicts <paramref name="labels"/>[t].</param>
    /// <param name="labels">(B, T) int64 target ids (any value where the mask is 0).</param>
    /// <param name="mask">(B, T) 1 on response tokens, 0 on prompt tokens and padding.</param>
    /// <returns>(B) Σ_t mask·log softmax(logits)[label].</returns>
    public static Tensor Sum(Tensor logits, Tensor labels, Tensor mask)
    {
        if (logits.dim() != 3 || labels.dim() != 2 || mask.dim() != 2 || logits.shape[0] != labels.shape[0] || logits.shape[1] != labels.shape[1]
            || !labels.shape.SequenceEqual(mask.shape))
            throw new ArgumentException($"expected logits (B, T, V) with labels and mask (B, T); found ({string.Join(", ", logits.shape)}), ({string.Join(", ", labels.shape)}), ({string.Join(", ", mask.shape)})");
        using var scope = NewDisposeScope();
        var logProbs = logits.to(ScalarType.Float32).log_softmax(-1);                     // (B, T, V)
        var picked = logProbs.gather(-1, labels.unsqueeze(-1)).squeeze(-1);               // (B, T)
        return (picked * mask.to(ScalarType.Float32)).sum(-1).MoveToOuterDisposeScope();  // (B)
    }
}
