using System.Collections.Concurrent;
using System.Diagnostics;
using HierReason.Core.IO;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Running;

/// <summary>
/// Runs device queues: each device runs <see cref="RunnerOptions.SlotsPerDevice"/> work units at a time, in queue
/// order. Finished jobs are skipped (resume) unless forced; a unit whose worker fails is relaunched with its unfinished
/// jobs up to <see cref="RunnerOptions.Retries"/> times; jobs that still fail get a failed result and the rest go on.
/// Cancellation stops the workers and keeps what finished. A run starts by deleting the temp files that dead
/// processes left in its job folders (a worker killed mid-write).
/// </summary>
public sealed class BenchmarkRunner(IJobLauncher launcher, RunnerOptions options)
{
    /// <summary>Runs every queue; returns one result per job (succeeded, failed, or — after cancellation — absent).</summary>
    public async Task<IReadOnlyList<JobResult>> RunAsync(IReadOnlyList<DeviceQueue> queues, Action<JobEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        var results = new ConcurrentDictionary<string, JobResult>();
        var report = onEvent ?? (_ => { });
        var folders = queues.SelectMany(q => q.Jobs).SelectMany(j => new[] { j.ResultPath, j.SamplesPath })
            .Where(p => !string.IsNullOrEmpty(p)).Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!).Distinct();
        foreach (var folder in folders) AtomicFile.DeleteAbandoned(folder);
        var workers = new List<Task>();
        foreach (var queue in queues)
        {
            var pending = new ConcurrentQueue<WorkUnit>(queue.Units);
            for (var slot = 0; slot < options.SlotsPerDevice; slot++)
                workers.Add(Task.Run(async () =>
                {
                    while (!cancellationToken.IsCancellationRequested && pending.TryDequeue(out var unit))
                        await RunUnitAsync(unit, results, report, cancellationToken);
                }, CancellationToken.None));
        }
        await Task.WhenAll(workers);
        return queues.SelectMany(q => q.Jobs).Select(j => results.GetValueOrDefault(j.Key)).OfType<JobResult>().ToList();
    }

    private async Task RunUnitAsync(WorkUnit unit, ConcurrentDictionary<string, JobResult> results, Action<JobEvent> report, CancellationToken cancellationToken)
    {
        var pending = new List<EvalJob>();
        foreach (var job in unit.Jobs)
        {
            if (!options.Force && FinishedResults.Of(job) is { } done)
            {
                results[job.Key] = done;
                report(new JobEvent(JobEventKind.Skipped, job, unit.Device.Name, "already finished", done));
            }
            else if (job.Model.Backend == "local" && job.SyntheticMs is null && (job.Model.Path is null || !Directory.Exists(job.Model.Path)))
            {
                var hint = job.Model.Train is { } train
                    ? $"run `hierreason train {Path.GetRelativePath(Environment.CurrentDirectory, train)}` (or the TrainDefault target)"
                    : "check models.json's path";
                Fail(job, $"model folder missing: {job.Model.Path}: {hint}", 0);
            }
            else pending.Add(job);
        }
        if (options.Force && !cancellationToken.IsCancellationRequested)
            foreach (var job in pending)
                if (!string.IsNullOrEmpty(job.ResultPath)) File.Delete(job.ResultPath);

        var clock = Stopwatch.StartNew();
        string? error = null;
        for (var attempt = 0; attempt <= options.Retries && pending.Count > 0; attempt++)
        {
            if (cancellationToken.IsCancellationRequested) return;
            if (attempt > 0) report(new JobEvent(JobEventKind.Retrying, pending[0], unit.Device.Name, $"attempt {attempt + 1}: {error}"));
            foreach (var job in pending) report(new JobEvent(JobEventKind.Started, job, unit.Device.Name));
            UnitOutcome outcome;
            try
            {
                outcome = await launcher.RunAsync(unit with { Jobs = pending }, options.Timeout * pending.Count, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            foreach (var result in outcome.Finished)
            {
                results[result.Key] = result;
                report(new JobEvent(JobEventKind.Succeeded, pending.First(j => j.Key == result.Key), unit.Device.Name, Result: result));
            }
            pending = pending.Where(j => !results.ContainsKey(j.Key)).ToList();
            error = outcome.Error ?? (pending.Count > 0 ? "worker finished without these jobs' results" : null);
        }
        foreach (var job in pending) Fail(job, error ?? "failed", clock.Elapsed.TotalSeconds);

        void Fail(EvalJob job, string message, double seconds)
        {
            var failed = JobResult.FailedWith(job, message, seconds);
            JobResultFile.Write(failed, job.ResultPath);
            results[job.Key] = failed;
            report(new JobEvent(JobEventKind.Failed, job, unit.Device.Name, message, failed));
        }
    }
}
