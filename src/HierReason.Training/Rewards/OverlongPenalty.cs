namespace HierReason.Training.Rewards;

/// <summary>
/// DAPO's soft overlong punishment: 0 up to L_max − L_cache tokens, then falling linearly to −1 at L_max, and −1 beyond.
/// L_max defaults to the rollout's max_tokens.
/// </summary>
public sealed class OverlongPenalty : IRewardFunction
{
    public OverlongPenalty(int cacheLength, int? maxLength = null)
    {
        if (cacheLength < 1) throw new TrainingException($"overlong: cache length must be at least 1 (found {cacheLength})");
        if (maxLength is { } max && max <= cacheLength)
            throw new TrainingException($"overlong: max length ({max}) must exceed the cache length ({cacheLength})");
        CacheLength = cacheLength;
        MaxLength = maxLength;
    }

    public int CacheLength { get; }

    /// <summary>L_max; null means the context's max_tokens.</summary>
    public int? MaxLength { get; }

    public string Name => "overlong";

    public double Score(RewardContext ctx)
    {
        var max = MaxLength ?? ctx.MaxTokens;
        var safe = max - CacheLength;
        if (safe < 0) throw new TrainingException($"overlong: cache length {CacheLength} exceeds the max length {max}");
        var length = ctx.CompletionTokens;
        if (length <= safe) return 0.0;
        if (length > max) return -1.0;
        return (double)(safe - length) / CacheLength;
    }
}
