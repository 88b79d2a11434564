using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>
/// Per-token log-probabilities of completions, (B, Tc) float32, with a 1/0 mask (B, Tc) marking real completion tokens,
/// and — when asked for — the entropy of the full next-token distribution at each position (B, Tc), without gradient.
/// Where restricted spans were scored, <see cref="Restricted"/> holds the whole restricted distribution at each of them.
/// </summary>
public sealed record CompletionScores(Tensor LogProbs, Tensor Mask, Tensor? Entropy = null) : IDisposable
{
    /// <summary>The restricted distributions of the scored restricted positions (null when there were none).</summary>
    public RestrictedDistributions? Restricted { get; init; }

    public void Dispose()
    {
        LogProbs.Dispose();
        Mask.Dispose();
        Entropy?.Dispose();
        Restricted?.Dispose();
    }
}

/// <summary>
/// At each of M restricted completion positions (in the order of the spans: pair by pair, span by span, position by
/// position), log-softmax over the allowed ids only: <see cref="LogProbs"/> (M, K) in the order of each span's allowed
/// ids, K the most allowed at any position, with <see cref="Valid"/> (M, K) 1 where a column is an allowed id of that
/// position (0 in padding columns, whose log-probability is 0) and <see cref="Live"/> (M) 1 where the position is a real
/// completion token. Two scorings of the same spans give positions and columns that match one to one (a full
/// categorical KL between them is a sum over columns).
/// </summary>
public sealed record RestrictedDistributions(Tensor LogProbs, Tensor Valid, Tensor Live) : IDisposable
{
    /// <summary>
    /// KL(<paramref name="anchor"/> ‖ this) = Σ_v p_anchor(v) (log p_anchor(v) − log p_this(v)) at each position,
    /// averaged over live positions: (), a scalar with this side's gradient.
    /// </summary>
    public Tensor MeanKlFrom(RestrictedDistributions anchor)
    {
        var p = anchor.LogProbs.exp() * anchor.Valid;                                               // (M, K)
        var perPosition = (p * (anchor.LogProbs - LogProbs)).sum(-1);                              // (M)
        return (perPosition * Live).sum() / Live.sum().clamp_min(1);                              // ()
    }

    public RestrictedDistributions Detached() => new(LogProbs.detach(), Valid.detach(), Live.detach());

    public RestrictedDistributions MoveToOuterDisposeScope() => new(LogProbs.MoveToOuterDisposeScope(), Valid.MoveToOuterDisposeScope(), Live.MoveToOuterDisposeScope());

    public RestrictedDistributions DetachFromDisposeScope() => new(LogProbs.DetachFromDisposeScope(), Valid.DetachFromDisposeScope(), Live.DetachFromDisposeScope());

    public void Dispose()
    {
        LogProbs.Dispose();
        Valid.Dispose();
        Live.Dispose();
    }
}
