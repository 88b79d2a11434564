using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>Per-token log-probabilities of completions, (B, Tc) float32, with a 1/0 mask (B, Tc) marking real completion tokens.</summary>
public sealed record CompletionScores(Tensor LogProbs, Tensor Mask) : IDisposable
{
    public void Dispose()
    {
        LogProbs.Dispose();
        Mask.Dispose();
    }
}
