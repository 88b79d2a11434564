using HierReason.Training.Episodes;

namespace HierReason.Training.Grpo;

/// <summary>
/// What one GRPO step did: the episodes in group-major order with their rewards and advantages, which groups were
/// trained (all, or those dynamic sampling kept), the last pass's loss and metrics (null when no group was informative).
/// </summary>
public sealed record GrpoStepResult(
    IReadOnlyList<Episode> Episodes,
    IReadOnlyList<double> Rewards,
    IReadOnlyList<double> Advantages,
    IReadOnlyList<int> TrainedGroups,
    double ZeroVarianceFraction,
    double? Loss,
    PolicyLossMetrics? Metrics);
