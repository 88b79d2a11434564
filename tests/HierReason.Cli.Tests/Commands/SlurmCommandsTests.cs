namespace HierReason.Cli.Tests.Commands;

public sealed class SlurmCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hierreason-cli-slurm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Manifest(int jobs)
    {
        var path = Path.Combine(_dir, "jobs.jsonl");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, jobs).Select(i => $"{{\"key\":\"job-{i}\"}}\n")));
        return path;
    }

    /// <summary>A real (tiny) model folder: slurm checks every model's config.json and weights before writing a manifest.</summary>
    private string ModelFolder(string name)
    {
        var path = Path.Combine(_dir, name);
        HierReason.Engine.Inference.LocalModel.InitTiny(path, seed: 0);
        return path;
    }

    private string Worker()
    {
        var path = Path.Combine(_dir, "hierreason.dll");
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public async Task Slurm_writes_an_array_over_every_manifest_line_and_a_submit_script()
    {
        var outDir = Path.Combine(_dir, "slurm");
        var run = await CliRun.Of("slurm", "--output", outDir, "--manifest", Manifest(6), "--run", Path.Combine(_dir, "run"),
            "--max-concurrent", "2", "--gres", "gpu:1", "--partition", "gpu", "--hierreason", Worker());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"manifest: {_dir}/jobs.jsonl (6 jobs)", run.Lines[0]);
        Assert.Equal($"array: {outDir}/array.sbatch", run.Lines[1]);
        Assert.Equal($"submit with: bash {outDir}/submit.sh", run.Lines[^1]);
        var array = File.ReadAllLines(Path.Combine(outDir, "array.sbatch"));
        Assert.Contains("#SBATCH --array=0-5%2", array);
        Assert.Contains("#SBATCH --gres=gpu:1", array);
        Assert.Contains("#SBATCH --partition=gpu", array);
        var exec = Assert.Single(array, l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.EndsWith($" {_dir}/hierreason.dll eval --manifest {_dir}/jobs.jsonl --index \"$SLURM_ARRAY_TASK_ID\"", exec, StringComparison.Ordinal);
        Assert.Contains($"collect --run {_dir}/run", File.ReadAllText(Path.Combine(outDir, "collect.sbatch")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "submit.sh")));
    }

    [Fact]
    public async Task Gres_none_writes_cpu_only_tasks()
    {
        var outDir = Path.Combine(_dir, "cpu");
        var run = await CliRun.Of("slurm", "--output", outDir, "--manifest", Manifest(2), "--run", Path.Combine(_dir, "run"), "--gres", "none", "--hierreason", Worker());

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("--gres", File.ReadAllText(Path.Combine(outDir, "array.sbatch")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--time", "2 hours", "--time: expected")]
    [InlineData("--max-concurrent", "0", "--max-concurrent: expected an integer >= 1")]
    [InlineData("--gres", "gpu 1", "--gres: expected")]
    public async Task Bad_sbatch_options_exit_2_naming_the_option(string option, string value, string message)
    {
        var run = await CliRun.Of("slurm", "--output", Path.Combine(_dir, "x"), "--manifest", Manifest(1), "--run", _dir, option, value, "--hierreason", Worker());

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + message, run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public async Task Slurm_expands_models_times_tasks_into_a_run_folder_whose_manifest_the_array_runs()
    {
        var models = Path.Combine(_dir, "models.json");
        File.WriteAllText(models, $$"""{ "models": [ { "name": "m1", "backend": "local", "path": "{{ModelFolder("m1")}}" }, { "name": "m2", "backend": "local", "path": "{{ModelFolder("m2")}}" } ] }""");
        var tasks = Path.Combine(_dir, "tasks.json");
        File.WriteAllText(tasks, """{ "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 4, "seeds": [0, 1] } }""");
        Directory.CreateDirectory(Path.Combine(_dir, "configs"));
        var common = new[] { "slurm", "--models-file", models, "--tasks-file", tasks, "--task-configs", Path.Combine(_dir, "configs"), "--runs", Path.Combine(_dir, "runs"), "--hierreason", Worker() };

        var gpu = await CliRun.Of([.. common, "--output", Path.Combine(_dir, "gpu"), "--results", Path.Combine(_dir, "results")]);
        var cpu = await CliRun.Of([.. common, "--output", Path.Combine(_dir, "cpu"), "--gres", "none", "--cpus-per-task", "2"]);

        Assert.True(gpu.ExitCode == 0, gpu.Err);
        Assert.True(cpu.ExitCode == 0, cpu.Err);
        var runDir = Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "runs")));
        Assert.Equal($"run folder: {runDir}", gpu.Lines[0]);
        Assert.True(File.Exists(Path.Combine(runDir, "run.json")));
        // Same matrix, same run folder: the CPU variant rewrote its manifest with device cpu and 2 threads per job.
        var jobs = File.ReadAllLines(Path.Combine(runDir, "manifest.jsonl")).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        Assert.Equal(8, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(("cpu", 2), (j["device"]!.GetValue<string>(), j["threads"]!.GetValue<int>())));
        Assert.Equal(["chain_sum", "chain_sum", "chain_sum", "chain_sum", "leg_counting", "leg_counting", "leg_counting", "leg_counting"], jobs.Select(j => j["task"]!.GetValue<string>()));
        // Paths inside the run are relative to it, so the run folder can move with its manifest.
        Assert.All(jobs, j => Assert.Equal($"jobs/{j["key"]!.GetValue<string>()}.json", j["result_path"]!.GetValue<string>()));

        var gpuArray = File.ReadAllLines(Path.Combine(_dir, "gpu", "array.sbatch"));
        Assert.Contains("#SBATCH --array=0-7", gpuArray);
        Assert.Contains("#SBATCH --gres=gpu:1", gpuArray);
        Assert.Contains($"--manifest {runDir}/manifest.jsonl", Assert.Single(gpuArray, l => l.StartsWith("exec ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains($"collect --run {runDir} --output {_dir}/results", File.ReadAllText(Path.Combine(_dir, "gpu", "collect.sbatch")), StringComparison.Ordinal);
        Assert.DoesNotContain("--gres", File.ReadAllText(Path.Combine(_dir, "cpu", "array.sbatch")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_cuda_jobs_are_the_default_with_a_gres()
    {
        var models = Path.Combine(_dir, "models.json");
        File.WriteAllText(models, $$"""{ "models": [ { "name": "m1", "backend": "local", "path": "{{ModelFolder("m1")}}" } ] }""");
        var tasks = Path.Combine(_dir, "tasks.json");
        File.WriteAllText(tasks, """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""");
        Directory.CreateDirectory(Path.Combine(_dir, "configs"));

        var run = await CliRun.Of("slurm", "--models-file", models, "--tasks-file", tasks, "--task-configs", Path.Combine(_dir, "configs"),
            "--runs", Path.Combine(_dir, "runs"), "--output", Path.Combine(_dir, "s"), "--hierreason", Worker());

        Assert.True(run.ExitCode == 0, run.Err);
        var manifest = Directory.GetFiles(Path.Combine(_dir, "runs"), "manifest.jsonl", SearchOption.AllDirectories).Single();
        Assert.All(File.ReadAllLines(manifest), l => Assert.Equal("cuda", System.Text.Json.Nodes.JsonNode.Parse(l)!["device"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_missing_manifest_exits_2_naming_it()
    {
        var missing = Path.Combine(_dir, "nope.jsonl");
        var run = await CliRun.Of("slurm", "--output", Path.Combine(_dir, "x"), "--manifest", missing, "--run", _dir, "--hierreason", Worker());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(missing, run.Err, StringComparison.Ordinal);
    }
}
