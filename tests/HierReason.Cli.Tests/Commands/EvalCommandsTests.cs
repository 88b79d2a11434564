namespace HierReason.Cli.Tests.Commands;

/// <summary><c>hierreason eval</c> on job files and manifest lines (synthetic jobs: no model is loaded).</summary>
public sealed class EvalCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hierreason-cli-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A synthetic job as a manifest line, its result and samples in the run's jobs/ folder.</summary>
    private static string Line(string key) => $$"""
        {"key":"{{key}}","task":"chain_sum","config":{},"level":0,"split":"test","seed":0,"n":1,"model":{"name":"m","backend":"local","path":null,"train":null,"adapter":null,"chat_template":null,"generation":{"temperature":0,"top_p":1,"max_tokens":4,"stop":[],"seed":null},"base_url":null,"remote_model":null,"api_key_env":null,"max_concurrency":1,"checkpoint_hash":"h","dtype":"float32"},"device":"cpu","result_path":"jobs/{{key}}.json","samples_path":"jobs/{{key}}.jsonl","synthetic_ms":0}
        """.ReplaceLineEndings("").Trim();

    [Fact]
    public async Task A_manifest_line_runs_into_the_manifest_folder_and_a_blank_line_is_refused_instead_of_shifting_the_index()
    {
        var manifest = Path.Combine(_dir, "manifest.jsonl");
        File.WriteAllText(manifest, Line("a") + "\n" + Line("b") + "\n");

        var run = await CliRun.Of("eval", "--manifest", manifest, "--index", "1");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.True(File.Exists(Path.Combine(_dir, "jobs", "b.json")));
        Assert.False(File.Exists(Path.Combine(_dir, "jobs", "a.json")));

        // Line 2 blank: index 1 is that blank line, not job c (SLURM's task 1 would otherwise run task 2's job).
        File.WriteAllText(manifest, Line("a") + "\n\n" + Line("c") + "\n");
        var shifted = await CliRun.Of("eval", "--manifest", manifest, "--index", "1");

        Assert.Equal(2, shifted.ExitCode);
        Assert.Contains($"{manifest}: line 2: expected one job JSON per line; found a blank line", shifted.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "jobs", "c.json")));
    }
}
