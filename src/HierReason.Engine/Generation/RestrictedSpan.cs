namespace HierReason.Engine.Generation;

/// <summary>
/// Completion positions [<paramref name="Start"/>, <paramref name="Start"/> + <paramref name="Length"/>) that were sampled
/// from a restricted set of ids (a taxonomy label choice): their log-probabilities are taken over that set only, as the
/// sampler drew them.
/// </summary>
public sealed record RestrictedSpan(int Start, int Length, IReadOnlyList<int> AllowedTokenIds);
