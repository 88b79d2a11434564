namespace HierReason.Training.Rewards;

/// <summary>A completion's total reward and each reward's unweighted score (for logging).</summary>
public sealed record RewardBreakdown(double Total, IReadOnlyDictionary<string, double> Components);
