using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>
/// Per-token log-probabilities of completions, (B, Tc) float32, with a 1/0 mask (B, Tc) marking real completion tokens,
/// and — when asked for — the entropy of the full next-token distribution at each position (B, Tc), without gradient.
/// </summary>
public sealed record CompletionScores(Tensor LogProbs, Tensor Mask, Tensor? Entropy = null) : IDisposable
{
    public void Dispose()
    {
        LogProbs.Dispose();
        Mask.Dispose();
        Entropy?.Dispose();
    }
}
