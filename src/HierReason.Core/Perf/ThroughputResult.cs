namespace HierReason.Core.Perf;

/// <summary>
/// One task's measured throughput and how it compares with reasoning-gym and the same-run baseline.
/// <see cref="ItemsPerCpuSecond"/> divides by the process's CPU time instead of wall time, so it
/// holds up on a shared, oversubscribed machine (it includes GC threads, a real cost of allocating);
/// <see cref="RatioToBaseline"/> compares the CPU-time rates of the task and the reference workload. The reasoning-gym
/// columns are null without an anchor measured in the same run (<c>perf tasks --anchor</c>).
/// </summary>
public sealed record ThroughputResult(
    string Task,
    int Items,
    double Seconds,
    double ItemsPerSecond,
    double CpuSeconds,
    double ItemsPerCpuSecond,
    double? ReasoningGymItemsPerCpuSecond,
    double? RatioToReasoningGym,
    bool? MeetsTarget,
    double RatioToBaseline);
