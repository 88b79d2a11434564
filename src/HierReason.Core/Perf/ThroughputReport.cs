namespace HierReason.Core.Perf;

/// <summary>The result of a task throughput run: machine, baseline, and one line per task.</summary>
public sealed record ThroughputReport(
    MachineInfo Machine,
    int ItemsPerTask,
    string BaselineWorkload,
    double BaselineOpsPerSecond,
    double BaselineOpsPerCpuSecond,
    string ReferenceProvenance,
    double TargetRatio,
    IReadOnlyList<ThroughputResult> Tasks);
