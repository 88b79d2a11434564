using HierReason.Core.Results;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Running;

/// <summary>Runs a work unit somewhere (a worker process, or in-process for scheduler benchmarks) and says what finished.</summary>
public interface IJobLauncher
{
    /// <summary>Runs <paramref name="unit"/>'s jobs; returns those that finished, and the error that stopped the rest (null when none did).</summary>
    Task<UnitOutcome> RunAsync(WorkUnit unit, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>What a launch produced: results of the jobs that succeeded and, when some did not, why.</summary>
public sealed record UnitOutcome(IReadOnlyList<JobResult> Finished, string? Error);
