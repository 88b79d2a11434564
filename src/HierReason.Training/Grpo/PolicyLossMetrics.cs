namespace HierReason.Training.Grpo;

/// <summary>
/// What one loss evaluation saw, averaged over active tokens: mean k3 KL (null when β = 0), the fractions clipped below
/// (ratio &lt; 1 − ε_low with A &lt; 0), above (ratio &gt; 1 + ε_high with A &gt; 0) and either (TRL's <c>clip_ratio/region_mean</c>), and the mean ratio.
/// </summary>
public sealed record PolicyLossMetrics(
    double? MeanKl,
    double ClipLowFraction,
    double ClipHighFraction,
    double ClipRegionFraction,
    double MeanRatio,
    long ActiveTokens);
