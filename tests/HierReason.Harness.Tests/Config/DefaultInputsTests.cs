using System.Text.Json.Nodes;
using HierReason.Cli;
using HierReason.Core.Configs;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Config;

/// <summary>The committed models.json, tasks.json and tasks/sets/all.json load, and bench plans them.</summary>
public sealed class DefaultInputsTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Default_benchmark_is_two_addition_tasks_on_the_two_tiny_models_and_the_calculator_composite()
    {
        var tasks = TaskSetFile.Load(Path.Combine(RepoPaths.Root, "tasks.json"), RepoPaths.TaskConfigs);
        var models = ModelsFile.Load(Path.Combine(RepoPaths.Root, "models.json"));

        var jobs = JobMatrix.Expand(tasks, models, new MatrixOptions());

        Assert.Equal(["chain_sum", "basic_arithmetic"], jobs.Select(j => j.Task).Distinct());
        Assert.Equal(["tiny-sft", "tiny-grpo", "tiny-grpo-calc"], jobs.Select(j => j.Model.Name).Distinct());
        Assert.Equal(["vanilla", "vanilla", "calculator"], jobs.DistinctBy(j => j.Model.Name).Select(j => j.StrategyName));
        Assert.All(jobs, j => Assert.Equal((500, "test", 0L), (j.N, j.Split, j.Seed)));
        Assert.All(jobs, j => Assert.Null(j.Level));
        Assert.Equal(Path.Combine(RepoPaths.Root, "artifacts", "models", "tiny-sft"), jobs[0].Model.Path);
        Assert.Equal(12, TaskSetFile.Load(Path.Combine(RepoPaths.Root, "tasks", "sets", "all.json"), RepoPaths.TaskConfigs).Entries.Count);
    }

    [Fact]
    public async Task Dry_run_json_prints_jobs_with_device_and_key_and_creates_nothing()
    {
        var runs = _dir.Combine("runs");
        var stdout = new StringWriter();

        var code = await HierReasonCli.RunAsync(
            ["bench", "--models-file", Path.Combine(RepoPaths.Root, "models.json"), "--tasks-file", Path.Combine(RepoPaths.Root, "tasks.json"),
             "--task-configs", RepoPaths.TaskConfigs, "--cpu-slots", "4", "--runs", runs, "--output", _dir.Combine("out"), "--dry-run", "--json"],
            stdout, new StringWriter());

        Assert.Equal(0, code);
        var jobs = JsonNode.Parse(stdout.ToString())!.AsArray();
        Assert.Equal(6, jobs.Count);
        // Listed device by device: round-robin put jobs 0 and 4 on cpu:0, 1 and 5 on cpu:1, 2 on cpu:2, 3 on cpu:3.
        Assert.Equal(["cpu:0", "cpu:0", "cpu:1", "cpu:1", "cpu:2", "cpu:3"], jobs.Select(j => (string)j!["device"]!));
        Assert.Equal(["chain_sum/tiny-sft", "basic_arithmetic/tiny-grpo", "chain_sum/tiny-grpo", "basic_arithmetic/tiny-grpo-calc",
                "chain_sum/tiny-grpo-calc", "basic_arithmetic/tiny-sft"],
            jobs.Select(j => $"{j!["task"]}/{j["model"]}"));
        Assert.Equal(2, jobs.Count(j => (string)j!["strategy"]! == "calculator"));
        Assert.All(jobs, j => Assert.Matches("^[0-9a-f]{32}$", (string)j!["key"]!));
        Assert.False(Directory.Exists(runs));
    }

    public void Dispose() => _dir.Dispose();
}
