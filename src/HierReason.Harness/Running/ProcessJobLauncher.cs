using System.Diagnostics;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Secrets;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Running;

/// <summary>
/// Runs a work unit of the run <paramref name="run"/> as a worker process (<c>hierreason eval --jobs a.job.json,b.job.json</c>,
/// the job files written into the run first), pinned to its GPU with CUDA_VISIBLE_DEVICES; stdout and stderr go to the jobs' log file, with the values of the models' api_key_env
/// variables masked (<see cref="SecretRedactor"/>). A timeout or cancellation kills the whole process tree; if this
/// process dies, its workers exit too (<see cref="ParentLink"/>: their stdin is a pipe only this process holds).
/// <paramref name="started"/>, when given, sees each worker process as it starts (monitoring, tests);
/// <paramref name="output"/> sees each line the worker prints (progress such as "&lt;key&gt;: batch 3/7").
/// </summary>
public sealed class ProcessJobLauncher(
    WorkerCommand worker,
    RunLayout run,
    IReadOnlyDictionary<string, string>? environment = null,
    Action<Process, WorkUnit>? started = null,
    Action<WorkUnit, string>? output = null) : IJobLauncher
{
    public async Task<UnitOutcome> RunAsync(WorkUnit unit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var job in unit.Jobs) JobFile.Write(run, job);
        var log = run.LogPath(unit.Jobs[0].Key);
        var start = new ProcessStartInfo(worker.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // never written: the worker's end-of-file says this process is gone
        };
        foreach (var arg in worker.PrefixArgs) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("eval");
        start.ArgumentList.Add("--jobs");
        start.ArgumentList.Add(string.Join(",", unit.Jobs.Select(j => run.JobFilePath(j.Key))));
        if (unit.Device.CudaVisibleDevices is { } gpu) start.Environment["CUDA_VISIBLE_DEVICES"] = gpu;
        if (environment is not null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        start.Environment[ParentLink.Variable] = ParentLink.StandardInput;
        var redactor = new SecretRedactor(unit.Jobs.Select(j => j.Model.ApiKeyEnv).OfType<string>()
            .Concat(unit.Jobs.SelectMany(j => j.Model.OpenAi?.HeaderEnv?.Values ?? [])).Distinct()
            .Select(v => start.Environment.TryGetValue(v, out var value) ? value : null));

        string? error = null;
        await using (var logWriter = new StreamWriter(log, append: true) { AutoFlush = true })
        {
            await logWriter.WriteLineAsync($"[{DateTimeOffset.UtcNow:O}] {unit.Device.Name}: {unit.Jobs.Count} job(s) of {unit.Model}");
            using var process = Process.Start(start) ?? throw new InvalidOperationException("worker did not start");
            var lastLines = new Queue<string>();
            var gate = new object();
            void OnLine(object? _, DataReceivedEventArgs e)
            {
                if (e.Data is null) return;
                var line = redactor.Redact(e.Data);
                lock (gate)
                {
                    logWriter.WriteLine(line);
                    lastLines.Enqueue(line);
                    if (lastLines.Count > 5) lastLines.Dequeue();
                }
                output?.Invoke(unit, line);
            }
            process.OutputDataReceived += OnLine;
            process.ErrorDataReceived += OnLine;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            started?.Invoke(process, unit);

            using var timer = new CancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
            try
            {
                await process.WaitForExitAsync(linked.Token);
                process.WaitForExit(); // drains the redirected output
                if (process.ExitCode != 0)
                {
                    string tail;
                    lock (gate) tail = string.Join(" | ", lastLines);
                    error = $"worker exited with code {process.ExitCode}" + (tail.Length > 0 ? $": {tail}" : "");
                }
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                error = cancellationToken.IsCancellationRequested ? "cancelled" : $"timed out after {timeout.TotalSeconds:0.#} s";
                lock (gate) logWriter.WriteLine($"[{DateTimeOffset.UtcNow:O}] killed: {error}");
            }
        }

        foreach (var job in unit.Jobs.Skip(1))
            File.Copy(log, run.LogPath(job.Key), overwrite: true);
        var finished = unit.Jobs.Select(FinishedResults.Of).OfType<JobResult>().ToList();
        if (finished.Count < unit.Jobs.Count) error ??= "worker exited without writing a result";
        else error = null;
        cancellationToken.ThrowIfCancellationRequested();
        return new UnitOutcome(finished, error);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
