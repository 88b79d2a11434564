using System.Text.Json.Nodes;
using HierReason.Cli;

namespace HierReason.Harness.Tests.Running;

/// <summary>
/// A run folder moved elsewhere after bench (another disk, another machine's mount): its job files and manifest hold
/// paths relative to the run folder, so eval and collect work on the moved folder and write nothing outside it.
/// </summary>
public sealed class MovedRunFolderTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    [Fact]
    public async Task Eval_and_collect_work_on_a_moved_run_folder_and_write_only_inside_it()
    {
        var dir = fixture.Dir.Combine("moved");
        var tasks = fixture.Dir.Write("moved-tasks.json", """{ "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 2 } }""");
        var bench = new StringWriter();
        var code = await HierReasonCli.RunAsync(["bench", "--models-file", fixture.ModelsFile, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(dir, "runs"), "--output", Path.Combine(dir, "results"), "--threads", "1"], bench, bench);
        Assert.True(code == 0, bench.ToString());
        var original = Directory.GetDirectories(Path.Combine(dir, "runs"), "run-*").Single();
        var moved = Path.Combine(dir, "elsewhere", Path.GetFileName(original));
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(original, moved);
        var outside = FilesOutside(fixture.Dir.Path, moved);

        // The job files name the result and samples inside the run folder, relative to it.
        var jobFiles = Directory.GetFiles(Path.Combine(moved, "jobs"), "*.job.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, jobFiles.Count);
        var key = Path.GetFileName(jobFiles[0])[..^".job.json".Length];
        var job = JsonNode.Parse(File.ReadAllText(jobFiles[0]))!;
        Assert.Equal(($"jobs/{key}.json", $"jobs/{key}.jsonl"), ((string)job["result_path"]!, (string)job["samples_path"]!));

        // eval --job on the moved job file writes its result and samples into the moved folder.
        File.Delete(Path.Combine(moved, "jobs", key + ".json"));
        File.Delete(Path.Combine(moved, "jobs", key + ".jsonl"));
        var eval = new StringWriter();
        Assert.True(await HierReasonCli.RunAsync(["eval", "--job", jobFiles[0], "--force"], eval, eval) == 0, eval.ToString());
        Assert.True(File.Exists(Path.Combine(moved, "jobs", key + ".json")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(moved, "jobs", key + ".jsonl")).Length);

        // SLURM's form: a line of the moved manifest.
        var manifest = Path.Combine(moved, "manifest.jsonl");
        var firstKey = (string)JsonNode.Parse(File.ReadLines(manifest).First())!["key"]!;
        File.Delete(Path.Combine(moved, "jobs", firstKey + ".json"));
        var slurm = new StringWriter();
        Assert.True(await HierReasonCli.RunAsync(["eval", "--manifest", manifest, "--index", "0"], slurm, slurm) == 0, slurm.ToString());
        Assert.True(File.Exists(Path.Combine(moved, "jobs", firstKey + ".json")));

        // collect aggregates the moved folder.
        var collected = Path.Combine(moved, "collected");
        var collect = new StringWriter();
        Assert.True(await HierReasonCli.RunAsync(["collect", "--run", moved, "--output", collected], collect, collect) == 0, collect.ToString());
        var table = File.ReadAllLines(Path.Combine(collected, "summary.md")).Where(l => l.StartsWith('|')).ToList();
        Assert.Contains(table, l => l.StartsWith("| chain_sum (level 0) |", StringComparison.Ordinal));
        Assert.Contains(table, l => l.StartsWith("| leg_counting (level 0) |", StringComparison.Ordinal));

        Assert.False(Directory.Exists(original), "something recreated the old run folder");
        Assert.Equal(outside, FilesOutside(fixture.Dir.Path, moved));
    }

    /// <summary>Every file under <paramref name="root"/> but outside <paramref name="excluded"/>, with its length and write time.</summary>
    private static IReadOnlyList<string> FilesOutside(string root, string excluded) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(excluded + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}")
            .Order(StringComparer.Ordinal)
            .ToList();
}
