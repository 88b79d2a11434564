using System.Diagnostics;
using System.Text.Json.Nodes;
using HierReason.Core.Perf;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Perf;

/// <summary>One measured scenario: what ran, how long it took, and the ideal it is compared with.</summary>
/// <param name="MakespanMs">First launch to last result.</param>
/// <param name="IdealMs">The lower bound: total work ÷ devices (no overhead, perfect balance).</param>
/// <param name="Repeats">Runs measured; the makespan is their minimum (the least disturbed by other load on the machine).</param>
public sealed record ScheduleScenario(string Name, string Schedule, string Launcher, int Jobs, int Devices, int Workers, int Repeats, double MakespanMs, double IdealMs)
{
    public double Ratio => Math.Round(MakespanMs / IdealMs, 4);

    /// <summary>Time lost per job on the busiest device: (makespan − ideal) ÷ jobs per device.</summary>
    public double OverheadPerJobMs => Math.Round((MakespanMs - IdealMs) / Math.Max(1.0, (double)Jobs / Devices), 2);
}

/// <summary><c>hierreason perf schedule</c>'s report.</summary>
/// <param name="LaunchOverheadMs">Mean cost of one real worker process that does no work (start, read job, write result), run one at a time.</param>
/// <param name="OrchestrationOverheadMs">Per job, in-process: (makespan − ideal) ÷ jobs per device of the equal-jobs scenario.</param>
/// <param name="AffinitySpeedup">Round-robin makespan ÷ affinity makespan on the mixed matrix with model loading.</param>
public sealed record ScheduleReport(
    MachineInfo Machine,
    IReadOnlyList<ScheduleScenario> Scenarios,
    double? LaunchOverheadMs,
    double OrchestrationOverheadMs,
    double AffinitySpeedup);

/// <summary>
/// Measures the scheduler with synthetic jobs of known durations and no model: 16 equal jobs on 4 devices (makespan ÷
/// ideal), the per-job overhead of real worker processes, and affinity against round-robin on a mixed matrix where each
/// worker pays a model-loading cost.
/// </summary>
public sealed class ScheduleBenchmark(WorkerCommand? worker, string scratchDirectory)
{
    public int EqualJobMs { get; init; } = 250;
    public int LoadMs { get; init; } = 600;
    public int LaunchSamples { get; init; } = 6;
    public int Repeats { get; init; } = 3;

    public async Task<ScheduleReport> RunAsync(Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var devices = Enumerable.Range(0, 4).Select(DeviceSlot.Gpu).ToList();
        var scenarios = new List<ScheduleScenario>();

        // 1. 16 equal jobs on 4 devices, in-process: the scheduler's own overhead.
        var equal = Enumerable.Range(0, 16).Select(i => Job($"equal{i}", "m" + (i % 4), EqualJobMs)).ToList();
        log("16 equal jobs on 4 devices (in-process), after a warm-up run");
        await Measure("warm-up", ScheduleKind.RoundRobin, "in-process", equal, devices, new SyntheticLauncher(0), cancellationToken);
        await Measure("warm-up", ScheduleKind.Affinity, "in-process", equal, devices, new SyntheticLauncher(0), cancellationToken);
        var inProcess = await Measure("16 equal jobs", ScheduleKind.RoundRobin, "in-process", equal, devices, new SyntheticLauncher(0), cancellationToken, Repeats);
        scenarios.Add(inProcess);
        var orchestration = inProcess.OverheadPerJobMs;

        // 2. The same with real worker processes (start-up included; the ideal counts only the jobs' work).
        double? launch = null;
        if (worker is not null)
        {
            log("16 equal jobs on 4 devices (worker processes)");
            var equalRun = RunLayout.At(Path.Combine(scratchDirectory, "equal"));
            var placed = equal.Select(j => InFolder(j, equalRun)).ToList();
            scenarios.Add(await Measure("16 equal jobs", ScheduleKind.RoundRobin, "process", placed, devices, new ProcessJobLauncher(worker, equalRun), cancellationToken));

            log($"{LaunchSamples} empty workers, one at a time");
            var launchRun = RunLayout.At(Path.Combine(scratchDirectory, "launch"));
            var empty = Enumerable.Range(0, LaunchSamples).Select(i => InFolder(Job($"empty{i}", "m", 0), launchRun)).ToList();
            var one = await Measure("empty workers", ScheduleKind.RoundRobin, "process", empty, [DeviceSlot.Cpu(0)], new ProcessJobLauncher(worker, launchRun), cancellationToken);
            launch = one.MakespanMs / LaunchSamples;
        }

        // 3. Mixed matrix with model loading: 4 models × 6 tasks of 100–600 ms; each worker pays LoadMs.
        var mixed = new List<EvalJob>();
        for (var m = 0; m < 4; m++)
            for (var t = 0; t < 6; t++)
                mixed.Add(Job($"task{t}", $"model{m}", 100 * (t + 1)));
        log("mixed matrix, round-robin");
        var roundRobin = await Measure("mixed matrix, model load " + LoadMs + " ms", ScheduleKind.RoundRobin, "in-process", mixed, devices, new SyntheticLauncher(LoadMs), cancellationToken, Repeats);
        log("mixed matrix, affinity");
        var affinity = await Measure("mixed matrix, model load " + LoadMs + " ms", ScheduleKind.Affinity, "in-process", mixed, devices, new SyntheticLauncher(LoadMs), cancellationToken, Repeats);
        scenarios.Add(roundRobin);
        scenarios.Add(affinity);

        return new ScheduleReport(MachineInfo.Current(), scenarios, launch is { } l ? Math.Round(l, 1) : null, Math.Round(orchestration, 2),
            Math.Round(roundRobin.MakespanMs / affinity.MakespanMs, 3));
    }

    private static async Task<ScheduleScenario> Measure(string name, ScheduleKind kind, string launcherName, IReadOnlyList<EvalJob> jobs, IReadOnlyList<DeviceSlot> devices, IJobLauncher launcher, CancellationToken cancellationToken, int repeats = 1)
    {
        var queues = JobScheduler.Assign(jobs, devices, kind);
        var runner = new BenchmarkRunner(launcher, new RunnerOptions(Retries: 0, Force: true));
        var makespan = double.MaxValue;
        for (var r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            var results = await runner.RunAsync(queues, cancellationToken: cancellationToken);
            makespan = Math.Min(makespan, clock.Elapsed.TotalMilliseconds);
            if (results.Any(x => !x.IsSuccess)) throw new InvalidOperationException("a synthetic job failed: " + results.First(x => !x.IsSuccess).Error);
        }
        var ideal = jobs.Sum(j => (double)(j.SyntheticMs ?? 0)) / devices.Count;
        return new ScheduleScenario(name, kind == ScheduleKind.Affinity ? "affinity" : "round-robin", launcherName, jobs.Count, devices.Count,
            queues.Sum(q => q.Units.Count), repeats, Math.Round(makespan, 1), Math.Round(Math.Max(ideal, 1e-9), 1));
    }

    private static EvalJob Job(string task, string model, int ms) =>
        new($"{task}-{model}", task, new JsonObject(), null, "test", 0, 1,
            new ModelSpec(model, "local", null, null, null, null, GenerationSpec.Default, null, null, null, 1, "synthetic"),
            "", "", "", SyntheticMs: ms);

    private static EvalJob InFolder(EvalJob job, RunLayout run)
    {
        Directory.CreateDirectory(run.JobsFolder);
        return run.Place(job);
    }
}
