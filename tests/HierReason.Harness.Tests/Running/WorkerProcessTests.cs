using System.Diagnostics;
using System.Text.Json.Nodes;
using HierReason.Cli;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Tests.Running;

/// <summary>Real worker processes (hierreason.dll next to this assembly) on a tiny model: crashes, retries, cancellation, resume.</summary>
public sealed class WorkerProcessTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private const string OneJob = """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 8 } }""";

    [Fact]
    public async Task Worker_killed_with_SIGKILL_mid_run_is_retried_and_results_equal_an_uninterrupted_run()
    {
        // 32 one-item batches: the job is still running when the first batch shows up in its log, however fast the
        // machine (two batches of a 24-token budget can finish between two polls of the log).
        const string longJob = """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 32 } }""";
        var reference = fixture.Jobs(longJob, fixture.Dir.Combine("reference"), batchSize: 1);
        var clean = await new BenchmarkRunner(new ProcessJobLauncher(WorkerCommand.Resolve(), RunLayout.At(fixture.Dir.Combine("reference"))), new RunnerOptions())
            .RunAsync(JobScheduler.RoundRobin(reference, [DeviceSlot.Cpu(0)]));

        var run = RunLayout.At(fixture.Dir.Combine("killed"));
        var jobs = fixture.Jobs(longJob, run.Folder, batchSize: 1);
        var kills = 0;
        var launcher = new ProcessJobLauncher(WorkerCommand.Resolve(), run, started: (process, unit) =>
        {
            if (Interlocked.Increment(ref kills) != 1) return;
            var log = run.LogPath(unit.Jobs[0].Key);
            _ = Task.Run(async () =>
            {
                // Mid-run: after the first batch of the job is generated, before its result exists.
                while (!process.HasExited && !(File.Exists(log) && ReadShared(log).Contains("batch 1/", StringComparison.Ordinal))) await Task.Delay(20);
                if (!process.HasExited) process.Kill(); // SIGKILL on Unix
            });
        });
        var events = new List<JobEvent>();
        var results = await new BenchmarkRunner(launcher, new RunnerOptions(Retries: 1))
            .RunAsync(JobScheduler.RoundRobin(jobs, [DeviceSlot.Cpu(0)]), e => { lock (events) events.Add(e); });

        Assert.Equal(2, kills);
        Assert.Contains(events, e => e.Kind == JobEventKind.Retrying && e.Message!.Contains("exited with code", StringComparison.Ordinal));
        var result = Assert.Single(results);
        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(32, result.N);
        Assert.Equal((clean[0].ScoreSum, clean[0].FormatRate, clean[0].MeanTokens), (result.ScoreSum, result.FormatRate, result.MeanTokens));
        Assert.Equal(Comparable(reference[0].SamplesPath), Comparable(jobs[0].SamplesPath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(jobs[0].SamplesPath)!, "*.tmp"));
    }

    [Fact]
    public async Task Cancelling_stops_the_running_worker_and_keeps_finished_results()
    {
        var run = RunLayout.At(fixture.Dir.Combine("cancelled"));
        var jobs = fixture.Jobs("""{ "tasks": [ { "task": "chain_sum", "level": 0, "n": 1 }, { "task": "leg_counting", "level": 0, "n": 40 } ] }""",
            run.Folder, batchSize: 1);
        using var cancel = new CancellationTokenSource();
        var workers = new List<int>();
        var launcher = new ProcessJobLauncher(WorkerCommand.Resolve(), run, started: (process, unit) =>
        {
            lock (workers) workers.Add(process.Id);
            if (unit.Jobs[0].Task != "leg_counting") return;
            var log = run.LogPath(unit.Jobs[0].Key);
            _ = Task.Run(async () =>
            {
                while (!process.HasExited && !(File.Exists(log) && ReadShared(log).Contains("batch 1/", StringComparison.Ordinal))) await Task.Delay(20);
                await cancel.CancelAsync();
            });
        });

        var results = await new BenchmarkRunner(launcher, new RunnerOptions())
            .RunAsync(JobScheduler.RoundRobin(jobs, [DeviceSlot.Cpu(0)]), cancellationToken: cancel.Token);

        Assert.True(cancel.IsCancellationRequested);
        Assert.Equal(2, workers.Count);
        Assert.All(workers, pid => Assert.False(IsAlive(pid), $"worker {pid} still runs"));
        var finished = Assert.Single(results);
        Assert.Equal("chain_sum", finished.Task);
        Assert.True(File.Exists(jobs[0].ResultPath));
        Assert.False(File.Exists(jobs[1].ResultPath));
    }

    [Fact]
    public async Task Bench_rerun_skips_finished_jobs_without_launching_a_worker()
    {
        var dir = fixture.Dir.Combine("resume");
        var tasks = fixture.Dir.Write("resume-tasks.json", """{ "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 2 } }""");
        string[] args = ["bench", "--models-file", fixture.ModelsFile, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(dir, "runs"), "--output", Path.Combine(dir, "results"), "--threads", "1"];

        var first = new StringWriter();
        Assert.Equal(0, await HierReasonCli.RunAsync(args, first, new StringWriter()));
        var files = Directory.GetFiles(Path.Combine(dir, "runs"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".log", StringComparison.Ordinal))
            .Where(f => f.Contains("/jobs/", StringComparison.Ordinal))
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(6, files.Count); // two jobs: result, job file, log

        var second = new StringWriter();
        Assert.Equal(0, await HierReasonCli.RunAsync(args, second, new StringWriter()));

        Assert.Equal(2, second.ToString().Split('\n').Count(l => l.Contains("skipped", StringComparison.Ordinal)));
        Assert.DoesNotContain("started", second.ToString());
        Assert.All(files, f => Assert.Equal(f.Value, File.GetLastWriteTimeUtc(f.Key)));
        var summary = Directory.GetFiles(Path.Combine(dir, "results"), "results_all_tasks_*.json");
        Assert.NotEmpty(summary);
        Assert.True(File.Exists(Path.Combine(dir, "results", "summary.md")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "results"), "comparison_*.png").Length / summary.Length);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "results"), "summary_all_tasks_*.png"));

        // collect rebuilds the same table from the run folder alone.
        var runFolder = Directory.GetDirectories(Path.Combine(dir, "runs"), "run-*").Single();
        Assert.Equal(0, await HierReasonCli.RunAsync(["collect", "--run", runFolder, "--output", Path.Combine(dir, "collected")], new StringWriter(), new StringWriter()));
        static string Table(string file) => string.Join("\n", File.ReadAllLines(file).Where(l => l.StartsWith('|')));
        Assert.Equal(Table(Path.Combine(dir, "results", "summary.md")), Table(Path.Combine(dir, "collected", "summary.md")));
        Assert.Contains("| chain_sum (level 0) |", Table(Path.Combine(dir, "collected", "summary.md")));
    }

    [Fact]
    public async Task Truncated_samples_beside_a_valid_result_are_rerun_on_resume_not_skipped()
    {
        var dir = fixture.Dir.Combine("truncated");
        var tasks = fixture.Dir.Write("truncated-tasks.json", """{ "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 3 } }""");
        string[] args = ["bench", "--models-file", fixture.ModelsFile, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(dir, "runs"), "--output", Path.Combine(dir, "results"), "--threads", "1"];
        Assert.Equal(0, await HierReasonCli.RunAsync(args, new StringWriter(), new StringWriter()));
        var samples = Directory.GetFiles(Path.Combine(dir, "runs"), "*.jsonl", SearchOption.AllDirectories)
            .Where(f => f.Contains("/jobs/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, samples.Count);
        var complete = Comparable(samples[0]);
        Assert.Equal(3, complete.Count);
        // A disk that filled up, or a copy cut short: the result says 3 samples, the file ends in the middle of the second.
        var text = File.ReadAllText(samples[0]);
        File.WriteAllText(samples[0], text[..(text.IndexOf('\n') + 20)]);

        var second = new StringWriter();
        Assert.Equal(0, await HierReasonCli.RunAsync(args, second, new StringWriter()));

        Assert.Equal(1, second.ToString().Split('\n').Count(l => l.Contains("skipped", StringComparison.Ordinal)));
        Assert.Equal(complete, Comparable(samples[0]));
        Assert.Equal(3, JobResultFile.TryRead(Path.ChangeExtension(samples[0], ".json"))!.N);
    }

    [Fact]
    public async Task Temp_files_of_dead_processes_are_deleted_when_a_run_starts_and_those_of_live_ones_kept()
    {
        var run = RunLayout.At(fixture.Dir.Combine("stale"));
        var folder = Directory.CreateDirectory(run.JobsFolder).FullName;
        var job = run.Place(TestJobs.Job("quick", "m", syntheticMs: 0) with { Key = "quick" });
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        var legacy = Path.Combine(folder, "other.jsonl.tmp"); // the fixed name older workers used: no owner to ask
        var dead = Path.Combine(folder, $".other.json.{gone.Id}.{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(folder, $".other.jsonl.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        foreach (var file in new[] { legacy, dead, live }) File.WriteAllText(file, "{\"half\": ");

        var results = await new BenchmarkRunner(new ProcessJobLauncher(WorkerCommand.Resolve(), run), new RunnerOptions())
            .RunAsync(JobScheduler.RoundRobin([job], [DeviceSlot.Cpu(0)]));

        Assert.True(Assert.Single(results).IsSuccess);
        Assert.Equal([live], Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public async Task Job_past_its_timeout_is_killed_retried_then_recorded_failed_while_the_others_finish()
    {
        var run = RunLayout.At(fixture.Dir.Combine("timeout"));
        Directory.CreateDirectory(run.JobsFolder);
        EvalJob Synthetic(string key, int ms) => run.Place(TestJobs.Job(key, "m", syntheticMs: ms) with { Key = key });
        var jobs = new[] { Synthetic("slow", 60_000), Synthetic("quick", 0) };
        var events = new List<JobEvent>();

        var results = await new BenchmarkRunner(new ProcessJobLauncher(WorkerCommand.Resolve(), run), new RunnerOptions(JobTimeout: TimeSpan.FromSeconds(4), Retries: 1))
            .RunAsync(JobScheduler.RoundRobin(jobs, [DeviceSlot.Cpu(0), DeviceSlot.Cpu(1)]), e => { lock (events) events.Add(e); });

        var slow = results.Single(r => r.Key == "slow");
        Assert.Equal(JobResult.Failed, slow.Status);
        Assert.Contains("timed out after 4 s", slow.Error);
        Assert.Single(events, e => e.Kind == JobEventKind.Retrying);
        Assert.Equal(JobResult.Failed, JobResultFile.TryRead(jobs[0].ResultPath)!.Status);
        Assert.True(results.Single(r => r.Key == "quick").IsSuccess);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>The samples without their timings, which differ between runs.</summary>
    private static IReadOnlyList<string> Comparable(string samplesPath) =>
        File.ReadAllLines(samplesPath).Select(line =>
        {
            var node = JsonNode.Parse(line)!.AsObject();
            node.Remove("latency_ms");
            return node.ToJsonString();
        }).ToList();
}
