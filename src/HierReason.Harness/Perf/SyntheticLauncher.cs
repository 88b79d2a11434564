using HierReason.Core.Results;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Perf;

/// <summary>
/// An in-process stand-in for worker processes, for scheduler benchmarks: a unit costs <paramref name="loadMs"/> (the
/// worker starting and loading its model) plus each job's <see cref="EvalJob.SyntheticMs"/>.
/// </summary>
public sealed class SyntheticLauncher(int loadMs) : IJobLauncher
{
    public async Task<UnitOutcome> RunAsync(WorkUnit unit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.Delay(loadMs, cancellationToken);
        var results = new List<JobResult>();
        foreach (var job in unit.Jobs)
        {
            await Task.Delay(job.SyntheticMs ?? 0, cancellationToken);
            results.Add(new JobResult(job.Key, JobResult.Succeeded, job.Task, job.Model.Name, job.Split, job.Seed, 0, 0, 0, 0, 0, 0, 0, 0,
                (job.SyntheticMs ?? 0) / 1000.0, unit.Device.Name, DateTimeOffset.UtcNow, Level: job.Level));
        }
        return new UnitOutcome(results, null);
    }
}
