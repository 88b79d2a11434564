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
        var run = await CliRun.Of("slurm", "--out", outDir, "--manifest", Manifest(6), "--run", Path.Combine(_dir, "run"),
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
        var run = await CliRun.Of("slurm", "--out", outDir, "--manifest", Manifest(2), "--run", Path.Combine(_dir, "run"), "--gres", "none", "--hierreason", Worker());

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("--gres", File.ReadAllText(Path.Combine(outDir, "array.sbatch")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--time", "2 hours", "--time: expected")]
    [InlineData("--max-concurrent", "0", "--max-concurrent: expected an integer >= 1")]
    [InlineData("--gres", "gpu 1", "--gres: expected")]
    public async Task Bad_sbatch_options_exit_2_naming_the_option(string option, string value, string message)
    {
        var run = await CliRun.Of("slurm", "--out", Path.Combine(_dir, "x"), "--manifest", Manifest(1), "--run", _dir, option, value, "--hierreason", Worker());

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + message, run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public async Task A_missing_manifest_exits_2_naming_it()
    {
        var missing = Path.Combine(_dir, "nope.jsonl");
        var run = await CliRun.Of("slurm", "--out", Path.Combine(_dir, "x"), "--manifest", missing, "--run", _dir, "--hierreason", Worker());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(missing, run.Err, StringComparison.Ordinal);
    }
}
