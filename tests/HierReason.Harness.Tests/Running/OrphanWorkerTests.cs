using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HierReason.Cli;
using HierReason.Core.Runs;
using HierReason.Harness.Running;

namespace HierReason.Harness.Tests.Running;

/// <summary>A real <c>hierreason bench</c> process SIGKILLed mid-run: its workers must not live on as orphans.</summary>
public sealed class OrphanWorkerTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    // 16 one-item jobs; affinity on two CPU slots splits them over two workers of eight jobs each, so both workers
    // still have jobs to run when the first result appears.
    private const string Jobs = """{ "tasks": [ { "task": "chain_sum", "level": 0, "seeds": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] } ], "defaults": { "n": 1 } }""";
    private const int JobCount = 16;

    [Fact]
    public async Task Workers_exit_when_the_orchestrator_is_SIGKILLed_and_a_rerun_equals_an_uninterrupted_run()
    {
        if (!OperatingSystem.IsLinux()) return; // reads /proc
        var tasks = fixture.Dir.Write("orphan-tasks.json", Jobs);
        string[] Args(string root) =>
        [
            "bench", "--models-file", fixture.ModelsFile, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(root, "runs"), "--output", Path.Combine(root, "results"),
            "--cpu-slots", "2", "--schedule", "affinity", "--threads", "1", "--batch-size", "1",
        ];
        var reference = fixture.Dir.Combine("orphan-reference");
        Assert.Equal(0, await HierReasonCli.RunAsync(Args(reference), new StringWriter(), new StringWriter()));

        var killed = fixture.Dir.Combine("orphan-killed");
        var worker = WorkerCommand.Resolve();
        var start = new ProcessStartInfo(worker.FileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in worker.PrefixArgs.Concat(Args(killed))) start.ArgumentList.Add(arg);
        var workers = new HashSet<int>();
        using var bench = Process.Start(start)!;
        bench.OutputDataReceived += (_, _) => { };
        bench.ErrorDataReceived += (_, _) => { };
        bench.BeginOutputReadLine();
        bench.BeginErrorReadLine();
        try
        {
            // Mid-run: the first result is written, the others are not.
            var runs = Path.Combine(killed, "runs");
            Assert.True(await Until(() => bench.HasExited || Results(runs).Count > 0, TimeSpan.FromMinutes(2)), "no result within 2 minutes");
            Assert.False(bench.HasExited, "bench finished before it could be killed");
            workers.UnionWith(ChildrenOf(bench.Id));
            Assert.NotEmpty(workers);
            bench.Kill(); // SIGKILL: no handler of the orchestrator runs
            bench.WaitForExit();

            Assert.True(await Until(() => workers.All(pid => !Alive(pid)), TimeSpan.FromSeconds(60)),
                $"workers {string.Join(", ", workers.Where(Alive))} outlived their SIGKILLed orchestrator");
            // Workers that ran on as orphans would have finished every job; these stopped where their parent did.
            Assert.InRange(Results(runs).Count, 1, JobCount - 1);
        }
        finally
        {
            if (!bench.HasExited) bench.Kill();
            foreach (var pid in workers.Where(Alive)) Process.GetProcessById(pid).Kill();
        }

        var rerun = new StringWriter();
        Assert.Equal(0, await HierReasonCli.RunAsync(Args(killed), rerun, new StringWriter()));
        var expected = Results(Path.Combine(reference, "runs"));
        var actual = Results(Path.Combine(killed, "runs"));
        Assert.Equal(JobCount, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, path) in expected)
        {
            Assert.Equal(Comparable(path), Comparable(actual[key]));
            Assert.Equal(Samples(Path.ChangeExtension(path, ".jsonl")), Samples(Path.ChangeExtension(actual[key], ".jsonl")));
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(killed, "runs"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_linked_worker_exits_when_its_stdin_closes()
    {
        using var worker = StartWorker(["eval", "--synthetic-ms", "600000"], linked: true);
        try
        {
            worker.StandardInput.Close(); // what the kernel does when the orchestrator dies

            Assert.True(await Until(() => worker.HasExited, TimeSpan.FromSeconds(60)), "the worker outlived its closed stdin");
            Assert.Equal(ParentLink.OrphanedExitCode, worker.ExitCode);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill();
        }
    }

    [Fact]
    public async Task A_worker_started_as_SLURM_does_runs_to_the_end_whatever_its_stdin()
    {
        var run = fixture.Dir.Combine("slurm-like");
        var jobs = fixture.Jobs("""{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""", run);
        var layout = RunLayout.At(run);
        RunManifest.Of(layout, jobs, ["cpu:0"], "round-robin").Write(layout, jobs);

        using var worker = StartWorker(["eval", "--manifest", layout.ManifestFile, "--index", "0"], linked: false);
        worker.StandardInput.Close(); // a batch job's stdin is /dev/null: end-of-file at once

        Assert.True(await Until(() => worker.HasExited, TimeSpan.FromMinutes(2)), "the worker did not finish");
        Assert.Equal(0, worker.ExitCode);
        Assert.NotNull(FinishedResults.Of(jobs[0]));
    }

    /// <summary>A worker process with its stdin a pipe this test holds; <paramref name="linked"/> sets the parent link as bench does.</summary>
    private static Process StartWorker(IEnumerable<string> args, bool linked)
    {
        var worker = WorkerCommand.Resolve();
        var start = new ProcessStartInfo(worker.FileName) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in worker.PrefixArgs.Concat(args)) start.ArgumentList.Add(arg);
        start.Environment.Remove(ParentLink.Variable);
        if (linked) start.Environment[ParentLink.Variable] = ParentLink.StandardInput;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Job results (<c>jobs/&lt;key&gt;.json</c>) under a runs folder, by key.</summary>
    private static Dictionary<string, string> Results(string runs) =>
        !Directory.Exists(runs) ? [] : Directory.GetFiles(runs, "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "jobs" && !f.EndsWith(".job.json", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => f);

    /// <summary>A result without what differs between runs (times, device, finish time).</summary>
    private static string Comparable(string resultPath)
    {
        var node = JsonNode.Parse(File.ReadAllText(resultPath))!.AsObject();
        foreach (var field in new[] { "wall_seconds", "tokens_per_second", "device", "finished_at" }) node.Remove(field);
        return node.ToJsonString();
    }

    private static IReadOnlyList<string> Samples(string samplesPath) =>
        File.ReadAllLines(samplesPath).Select(line =>
        {
            var node = JsonNode.Parse(line)!.AsObject();
            node.Remove("latency_ms");
            return node.ToJsonString();
        }).ToList();

    /// <summary>Processes whose parent is <paramref name="pid"/> (from /proc/&lt;pid&gt;/stat's fourth field).</summary>
    private static IEnumerable<int> ChildrenOf(int pid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child)) continue;
            if (Stat(child) is { } stat && stat.Parent == pid) yield return child;
        }
    }

    /// <summary>Running, not a zombie waiting for its new parent to reap it.</summary>
    private static bool Alive(int pid) => Stat(pid) is { } stat && stat.State != 'Z' && stat.State != 'X';

    private static (char State, int Parent)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<bool> Until(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
