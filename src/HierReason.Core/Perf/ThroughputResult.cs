namespace HierReason.Core.Perf;

/// <summary>One task's measured throughput and how it compares with reasoning-gym and the same-run baseline.</summary>
public sealed record ThroughputResult(
    string Task,
    int Items,
    double Seconds,
    double ItemsPerSecond,
    double? ReasoningGymItemsPerSecond,
    double? RatioToReasoningGym,
    bool? MeetsTarget,
    double RatioToBaseline);
