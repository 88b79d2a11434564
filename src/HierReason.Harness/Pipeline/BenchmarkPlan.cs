using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Jobs;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Pipeline;

/// <summary>A benchmark planned and not yet run: its jobs placed in their run folder and on devices. Nothing is written yet; a dry run stops here.</summary>
/// <param name="Jobs">The jobs in matrix order (task-major), placed in <paramref name="Run"/>, without a device.</param>
/// <param name="Queues">The same jobs on their devices, grouped into worker units.</param>
/// <param name="Hashes">Checkpoint hashes computed while expanding; saved with the run folder.</param>
public sealed record BenchmarkPlan(
    BenchmarkRequest Request,
    RunLayout Run,
    IReadOnlyList<EvalJob> Jobs,
    IReadOnlyList<DeviceSlot> Devices,
    ScheduleKind Schedule,
    IReadOnlyList<DeviceQueue> Queues,
    CheckpointHasher Hashes)
{
    public IReadOnlyList<string> Tasks => Jobs.Select(j => TaskCell.Label(j.Task, j.Level)).Distinct().ToList();

    public IReadOnlyList<string> Models => Jobs.Select(j => j.Model.Name).Distinct().ToList();

    /// <summary>The schedule as run.json and the dry run write it.</summary>
    public string ScheduleName => Schedule == ScheduleKind.Affinity ? "affinity" : "round-robin";
}
