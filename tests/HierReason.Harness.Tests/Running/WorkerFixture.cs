using HierReason.Cli;
using HierReason.Core.Configs;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Running;

/// <summary>A tiny model in a temp folder (created once per test class) and jobs that evaluate it.</summary>
public sealed class WorkerFixture : IDisposable
{
    public WorkerFixture()
    {
        Dir = new TempDir();
        var stderr = new StringWriter();
        var code = HierReasonCli.RunAsync(["model", "init", "--output", Dir.Combine("tiny"), "--seed", "3", "--threads", "1"], new StringWriter(), stderr).GetAwaiter().GetResult();
        if (code != 0) throw new InvalidOperationException("model init failed: " + stderr);
        Dir.Write("models.json", """{ "models": [ { "name": "tiny", "backend": "local", "path": "tiny", "generation": { "max_new_tokens": 24 } } ] }""");
    }

    public TempDir Dir { get; }

    public string ModelsFile => Dir.Combine("models.json");

    /// <summary>Jobs of the tiny model on the given tasks, placed in <paramref name="runDirectory"/>.</summary>
    public IReadOnlyList<EvalJob> Jobs(string tasksJson, string runDirectory, int batchSize = 2)
    {
        var tasks = TaskSetFile.Parse(tasksJson, "tasks.json", RepoPaths.TaskConfigs);
        var models = Harness.Config.ModelsFile.Load(ModelsFile);
        var run = RunLayout.At(runDirectory);
        return JobMatrix.Expand(tasks, models, new MatrixOptions(BatchSize: batchSize, Threads: 1)).Select(j => run.Place(j) with { Device = "cpu:0" }).ToList();
    }

    public void Dispose() => Dir.Dispose();
}
