using System.Diagnostics;
using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Harness.Aggregation;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Pipeline;

/// <summary>
/// The benchmark, step by step: validate the inputs → expand the task × model × seed matrix → place the jobs on devices
/// (<see cref="Plan"/>, which writes nothing) → write the run folder and its manifest → adopt results finished in other
/// runs (<see cref="Prepare"/>) → run the worker processes (<see cref="RunJobsAsync"/>) → collect the run into results
/// JSON, summary.md and charts (<see cref="Collect"/>). <c>hierreason bench</c> (and so the MSBuild task and the Cake
/// targets) runs it; <c>collect</c> and <c>slurm</c> reuse its steps.
/// </summary>
/// <param name="modelCheck">Checks the local models a run loads before anything is written (the CLI's engine-based check).</param>
/// <param name="packages">Versions recorded in the results' run metadata.</param>
/// <param name="launcher">Starts a run's work units (default: <c>hierreason eval</c> worker processes, their output to the observer).</param>
public sealed class BenchmarkPipeline(
    TaskRegistry registry,
    ModelCheck modelCheck,
    IReadOnlyDictionary<string, string> packages,
    Func<RunLayout, Action<WorkUnit, string>, IJobLauncher>? launcher = null)
{
    /// <summary>The checkpoint hash cache, kept beside the run folders (by path, size and modification time).</summary>
    public const string HashCacheFileName = ".checkpoint-hashes.json";

    /// <summary>
    /// Validates the request and its inputs (and, unless <paramref name="checkModels"/> is false — a dry run plans before
    /// training — every local model it loads), expands the matrix and places the jobs. Writes nothing.
    /// </summary>
    public BenchmarkPlan Plan(BenchmarkRequest request, bool checkModels = true)
    {
        var inputs = BenchmarkInputs.Load(request.ModelsFile, request.TasksFile, request.TaskConfigs, registry);
        var schedule = JobScheduler.Parse(request.Schedule);
        var devices = DeviceDiscovery.Resolve(request.Gpus, request.CpuSlots);
        Positive(request.SlotsPerDevice, "--slots-per-device");
        Positive(request.BatchSize, "--batch-size");
        if (request.Retries is < 0 or > 100) throw new HierReasonException($"--retries: expected an integer in [0, 100]; found {request.Retries}");
        if (!(request.TimeoutSeconds > 0)) throw new HierReasonException($"--timeout: expected a positive number of seconds; found {request.TimeoutSeconds}");
        // Several CPU workers on one machine would fight over all its cores; GPU workers and a lone CPU worker take them all.
        var threads = request.Threads ?? (devices.Count * request.SlotsPerDevice > 1 && devices.All(d => d.CudaVisibleDevices is null) ? 1 : 0);
        if (threads < 0) throw new HierReasonException($"--threads: expected a non-negative integer; found {threads}");

        var options = new MatrixOptions(request.OnlyTasks, request.OnlyModels, request.BatchSize, threads);
        if (checkModels) inputs.Check(modelCheck, options);
        var hashes = new CheckpointHasher(Path.Combine(request.RunsRoot, HashCacheFileName));
        var expanded = inputs.Expand(options, hashes);
        var run = JobMatrix.RunIn(request.RunsRoot, expanded);
        var jobs = expanded.Select(run.Place).ToList();
        return new BenchmarkPlan(request, run, jobs, devices, schedule, JobScheduler.Assign(jobs, devices, schedule), hashes);
    }

    /// <summary>Runs a plan: prepares its run folder, runs the jobs the observer follows, then collects the results (unless cancelled).</summary>
    public async Task<BenchmarkOutcome> RunAsync(BenchmarkPlan plan, IBenchmarkObserver observer, CancellationToken cancellationToken = default)
    {
        var adopted = Prepare(plan);
        observer.Prepared(plan, adopted);
        var clock = Stopwatch.StartNew();
        var results = await RunJobsAsync(plan, observer, cancellationToken);
        if (cancellationToken.IsCancellationRequested) return new BenchmarkOutcome(plan, results, adopted, null);
        return new BenchmarkOutcome(plan, results, adopted, Collect(plan.Run, plan.Request.ResultsFolder, packages, clock.Elapsed.TotalSeconds));
    }

    /// <summary>
    /// Writes the run folder — <c>run.json</c>, <c>manifest.jsonl</c> (the jobs on their devices) — and the checkpoint hash
    /// cache, then, unless forced, adopts the jobs already finished in other run folders; returns how many.
    /// </summary>
    public static int Prepare(BenchmarkPlan plan)
    {
        RunManifest.Of(plan.Run, plan.Jobs, plan.Devices.Select(d => d.Name).ToList(), plan.ScheduleName)
            .Write(plan.Run, plan.Queues.SelectMany(q => q.Jobs));
        plan.Hashes.Save();
        return plan.Request.Force ? 0 : FinishedResults.Adopt(Path.GetFullPath(plan.Request.RunsRoot), plan.Jobs);
    }

    /// <summary>Runs the plan's work units on their devices; returns a result per job (none for jobs a cancellation stopped).</summary>
    public Task<IReadOnlyList<JobResult>> RunJobsAsync(BenchmarkPlan plan, IBenchmarkObserver observer, CancellationToken cancellationToken = default)
    {
        var request = plan.Request;
        var units = launcher?.Invoke(plan.Run, observer.WorkerOutput) ?? new ProcessJobLauncher(WorkerCommand.Resolve(), plan.Run, output: observer.WorkerOutput);
        var runner = new BenchmarkRunner(units, new RunnerOptions(request.SlotsPerDevice, TimeSpan.FromSeconds(request.TimeoutSeconds), request.Retries, request.Force));
        return runner.RunAsync(plan.Queues, observer.JobChanged, cancellationToken);
    }

    /// <summary>Aggregates a run folder's job results and writes the results JSON files, charts and summary.md (bench's last step, and <c>hierreason collect</c>).</summary>
    public static CollectedResults Collect(RunLayout run, string resultsFolder, IReadOnlyDictionary<string, string> packages, double? wallSeconds = null)
    {
        var summary = RunCollector.Collect(run, packages, wallSeconds: wallSeconds);
        return new CollectedResults(summary, ResultsWriter.Write(summary, resultsFolder));
    }

    private static void Positive(int value, string option)
    {
        if (value < 1) throw new HierReasonException($"{option}: expected a positive integer; found {value}");
    }
}
