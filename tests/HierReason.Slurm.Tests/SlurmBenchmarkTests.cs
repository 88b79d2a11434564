using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Running;
using HierReason.Slurm.Tests.Cluster;

namespace HierReason.Slurm.Tests;

/// <summary>
/// <c>hierreason slurm --submit</c> end to end on the real single-node SLURM: a tiny model, 2 tasks × 1 model × n=4, each
/// array task running <c>hierreason eval</c> on its manifest line, then the collect job writing the aggregated results.
/// </summary>
[Collection(SlurmCollection.Name)]
[Trait("Category", "Slurm")]
public sealed class SlurmBenchmarkTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    private readonly SlurmCluster _cluster;
    private readonly string _dir = Directory.CreateTempSubdirectory("hierreason-slurm-bench-").FullName;

    public SlurmBenchmarkTests(SlurmCluster cluster) => _cluster = cluster;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SlurmFact]
    public async Task Slurm_submit_runs_the_matrix_as_an_array_and_the_collect_job_writes_the_results()
    {
        var model = Path.Combine(_dir, "tiny");
        var init = await Cli("model", "init", "--output", model, "--seed", "3", "--threads", "1");
        Assert.True(init.Code == 0, init.Err);
        var models = Write("models.json", $$"""
            { "models": [ { "name": "tiny", "backend": "local", "path": {{JsonSerializer.Serialize(model)}} } ],
              "defaults": { "generation": { "temperature": 0, "max_new_tokens": 6 } } }
            """);
        var tasks = Write("tasks.json", """
            { "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ],
              "defaults": { "n": 4, "split": "test", "seeds": [0] } }
            """);
        Directory.CreateDirectory(Path.Combine(_dir, "task-configs"));
        var results = Path.Combine(_dir, "results");
        var outDir = Path.Combine(_dir, "slurm");

        var submit = await Cli("slurm", "--models-file", models, "--tasks-file", tasks, "--task-configs", Path.Combine(_dir, "task-configs"),
            "--runs", Path.Combine(_dir, "runs"), "--results", results, "--output", outDir, "--gres", "none", "--threads", "1",
            "--hierreason", CliDll(), "--submit");
        Assert.True(submit.Code == 0, submit.Out + submit.Err);
        var ids = Ids(submit.Out);
        var (arrayId, collectId) = (ids["array_job_id"], ids["collect_job_id"]);

        await _cluster.WaitForJobsAsync(Patience, arrayId, collectId);
        var tasksDone = await _cluster.WaitForCompletionsAsync(c => c.ArrayJobId == arrayId, 2, Patience);
        Assert.All(tasksDone, t => Assert.True(t.State == "COMPLETED" && t.ExitCode == "0:0", t.Line + "\n" + Logs(outDir)));
        var collect = Assert.Single(await _cluster.WaitForCompletionsAsync(c => c.JobId == collectId, 1, Patience));
        Assert.True(collect.State == "COMPLETED", collect.Line + "\n" + Logs(outDir));

        var all = Assert.Single(Directory.GetFiles(results, "results_all_tasks_*.json"));
        var summary = JsonSerializer.Deserialize<BenchmarkSummary>(File.ReadAllText(all), HierJson.Options)!;
        Assert.Equal(["chain_sum (level 0)", "leg_counting (level 0)"], summary.Tasks); // entries with a level are level columns
        Assert.Equal(["tiny"], summary.Models);
        Assert.Equal([("chain_sum", "tiny", 4, 0), ("leg_counting", "tiny", 4, 0)],
            summary.Rows.Select(r => (r.Task, r.Model, r.N, r.FailedJobs)).OrderBy(r => r.Task, StringComparer.Ordinal));
        Assert.All(summary.Rows, r => Assert.InRange(r.Accuracy, 0, 1));
        Assert.Equal(["cpu"], summary.Run.Devices);
        Assert.True(File.Exists(Path.Combine(results, "summary.md")));
        Assert.Single(Directory.GetFiles(results, "results_chain_sum_*.json"));
        Assert.Single(Directory.GetFiles(results, "results_leg_counting_*.json"));

        // Resubmitting resumes: every job's result exists, so each array task skips its job.
        var again = await _cluster.RunAsync("bash", Path.Combine(outDir, "submit.sh"));
        Assert.True(again.ExitCode == 0, again.Describe("submit.sh"));
        var rerunIds = Ids(again.Stdout);
        var (rerunId, recollectId) = (rerunIds["array_job_id"], rerunIds["collect_job_id"]);
        await _cluster.WaitForJobsAsync(Patience, rerunId, recollectId);
        var rerun = await _cluster.WaitForCompletionsAsync(c => c.ArrayJobId == rerunId, 2, Patience);
        Assert.All(rerun, t => Assert.Equal(("COMPLETED", "0:0"), (t.State, t.ExitCode)));
        Assert.Equal("COMPLETED", Assert.Single(await _cluster.WaitForCompletionsAsync(c => c.JobId == recollectId, 1, Patience)).State);
        for (var i = 0; i < 2; i++)
            Assert.Contains("already finished, skipped", File.ReadAllText(Path.Combine(outDir, "logs", $"{rerunId}_{i}.out")), StringComparison.Ordinal);
    }

    /// <summary>Runs the built CLI as its own process, pointed at the test cluster.</summary>
    private async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var worker = WorkerCommand.FromPath(CliDll());
        var result = await ProcessRun.RunAsync(worker.FileName, [.. worker.PrefixArgs, .. args], _cluster.Environment, TimeSpan.FromMinutes(3));
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>hierreason.dll of the same configuration as this test assembly (bin/&lt;Configuration&gt;/net10.0).</summary>
    private static string CliDll()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var dll = Path.Combine(SlurmCluster.RepositoryRoot(), "src", "HierReason.Cli", "bin", configuration, framework.Name, "hierreason.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build src/HierReason.Cli ({configuration}) first");
        return dll;
    }

    private static Dictionary<string, string> Ids(string output) =>
        output.Split('\n').Where(l => l.Contains("_job_id=", StringComparison.Ordinal)).Select(l => l.Trim().Split('=')).ToDictionary(p => p[0], p => p[1]);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Logs(string outDir) =>
        string.Join('\n', Directory.GetFiles(Path.Combine(outDir, "logs")).Order(StringComparer.Ordinal).Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));
}
