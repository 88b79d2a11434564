namespace HierReason.Training.Grpo;

/// <summary>The loss knobs: aggregation, clip range [1 − ε_low, 1 + ε_high], KL weight β, and the length Dr. GRPO divides by.</summary>
public sealed record PolicyLossSettings(
    LossType LossType,
    double Epsilon,
    double EpsilonHigh,
    double Beta,
    int MaxCompletionLength)
{
    /// <summary>The loss part of <paramref name="options"/>.</summary>
    public static PolicyLossSettings From(GrpoOptions options) => new(
        options.LossType, options.Epsilon, options.EpsilonHigh ?? options.Epsilon, options.Beta, options.MaxCompletionLength);
}
