namespace HierReason.Core.Perf;

/// <summary>
/// The result of a task throughput run: machine, baseline, and one line per task. <see cref="ReferenceProvenance"/> says
/// where the reasoning-gym figures come from (the anchor measured in this run), or that there are none.
/// </summary>
public sealed record ThroughputReport(
    MachineInfo Machine,
    HostIdentity Host,
    int ItemsPerTask,
    string BaselineWorkload,
    double BaselineOpsPerSecond,
    double BaselineOpsPerCpuSecond,
    string ReferenceProvenance,
    double TargetRatio,
    IReadOnlyList<ThroughputResult> Tasks);
