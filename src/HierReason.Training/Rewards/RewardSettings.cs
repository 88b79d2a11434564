namespace HierReason.Training.Rewards;

/// <summary>Parameters reward factories may need; the defaults suit the tiny models' 256-token budget.</summary>
public sealed record RewardSettings
{
    /// <summary>DAPO's L_cache: the soft-punishment window before the length limit (DAPO: 4096 of 20480; here a quarter of 256).</summary>
    public int OverlongCacheLength { get; init; } = 64;

    /// <summary>DAPO's L_max; null uses the rollout's max_completion_length.</summary>
    public int? OverlongMaxLength { get; init; }
}
