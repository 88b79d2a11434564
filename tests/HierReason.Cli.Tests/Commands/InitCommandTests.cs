using HierReason.Cli.Init;
using HierReason.Core.Configs;
using HierReason.Core.Tasks;
using HierReason.Harness.Config;
using HierReason.Training.Experiments;

namespace HierReason.Cli.Tests.Commands;

/// <summary><c>hierreason init</c>: the files it writes, its refusal to overwrite, <c>--force</c>, and that what it writes reads back.</summary>
public sealed class InitCommandTests : IDisposable
{
    private static readonly string[] Expected =
    [
        "models.json", "tasks.json", "tasks/chain_sum.json", "tasks/basic_arithmetic.json", "tasks/experiments/tiny-sft.json",
        "tasks/experiments/tiny.json", "tasks/experiments/base.json", ".github/workflows/benchmark.yml", ".gitignore", "README.md",
        "schemas/models.schema.json", "schemas/taskset.schema.json", "schemas/task.schema.json", "schemas/experiment.schema.json",
        "schemas/taxonomy.schema.json",
    ];

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hr-init-");

    private string Project => Path.Combine(_temp.FullName, "project");

    [Fact]
    public async Task Init_writes_the_project_and_prints_the_next_commands()
    {
        var run = await CliRun.Of("init", Project);

        Assert.Equal(0, run.ExitCode);
        foreach (var file in Expected)
        {
            Assert.True(File.Exists(Path.Combine(Project, file)), file + " was not written");
            Assert.Contains("wrote " + Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(Project, file)), run.Out);
        }
        Assert.Equal(Expected.Length, Directory.GetFiles(Project, "*", SearchOption.AllDirectories).Length);
        Assert.Contains($"cd {Project} && hierreason train tasks/experiments/tiny-sft.json", run.Out);
        Assert.Contains("hierreason bench", run.Out);
        Assert.Contains("hierreason verify artifacts/benchmark_results --accept", run.Out);
        Assert.Equal("artifacts/", File.ReadAllLines(Path.Combine(Project, ".gitignore")).Last());
        var workflow = File.ReadAllText(Path.Combine(Project, ".github/workflows/benchmark.yml"));
        Assert.Contains("dotnet tool install -g HierReason", workflow);
        Assert.Contains("hierreason train tasks/experiments/tiny-sft.json", workflow);
        Assert.Contains("hierreason bench", workflow);
        Assert.Contains("hierreason verify artifacts/benchmark_results", workflow);
    }

    [Fact]
    public async Task The_repository_files_are_written_unchanged()
    {
        Assert.Equal(0, (await CliRun.Of("init", Project)).ExitCode);
        foreach (var file in Expected.Where(f => f.StartsWith("tasks", StringComparison.Ordinal)))
            Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot, file)), File.ReadAllText(Path.Combine(Project, file)));
    }

    [Fact]
    public async Task Every_json_file_is_strict_json_whose_schema_path_resolves_in_the_project()
    {
        Assert.Equal(0, (await CliRun.Of("init", Project)).ExitCode);
        var checkedFiles = 0;
        foreach (var file in Directory.GetFiles(Project, "*.json", SearchOption.AllDirectories).Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)))
        {
            // No comments, no trailing commas: jq and Python read it.
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            var schema = doc.RootElement.GetProperty("$schema").GetString()!;
            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, schema));
            Assert.True(File.Exists(resolved), $"{file}: $schema {schema} does not resolve ({resolved})");
            Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot, "schemas", Path.GetFileName(resolved))), File.ReadAllText(resolved));
            checkedFiles++;
        }
        Assert.Equal(7, checkedFiles);
    }

    [Fact]
    public async Task What_init_writes_reads_back_with_the_tools_readers()
    {
        Assert.Equal(0, (await CliRun.Of("init", Project)).ExitCode);

        var models = ModelsFile.Load(Path.Combine(Project, "models.json"));
        var names = models.Models.Select(m => m.Name).ToList();
        // The repository's models less those trained by experiments init does not write (and what is built on them).
        Assert.Contains("tiny-sft", names);
        Assert.Contains("gpt-4o-mini", names);
        Assert.DoesNotContain("tiny-grpo", names);
        Assert.DoesNotContain("tiny-grpo-calc", names);

        var tasks = TaskSetFile.Load(Path.Combine(Project, "tasks.json"), Path.Combine(Project, "tasks"), TaskRegistry.Default);
        Assert.Equal(["chain_sum", "basic_arithmetic"], tasks.Entries.Select(e => e.Task.Name).ToArray());
        foreach (var task in new[] { "chain_sum", "basic_arithmetic" })
            Assert.Equal("universal", TaskConfigFile.Load(Path.Combine(Project, "tasks", task + ".json")).Prompt);

        var experiment = ExperimentConfig.Load(Path.Combine(Project, "tasks/experiments/tiny-sft.json"));
        Assert.Equal("tiny-sft", experiment.Name);
        Assert.Equal(1600, experiment.Sft.Steps);
    }

    [Fact]
    public async Task Init_refuses_to_overwrite_naming_the_files_and_writes_nothing()
    {
        Directory.CreateDirectory(Path.Combine(Project, "tasks"));
        File.WriteAllText(Path.Combine(Project, "models.json"), "mine");
        File.WriteAllText(Path.Combine(Project, "tasks", "chain_sum.json"), "mine too");

        var run = await CliRun.Of("init", Project);

        Assert.Equal(HierReasonCli.UserError, run.ExitCode);
        Assert.Contains("models.json, tasks/chain_sum.json already exist; nothing was written (--force overwrites them)", run.Err);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Project, "models.json")));
        Assert.False(File.Exists(Path.Combine(Project, "tasks.json")));
    }

    [Fact]
    public async Task Init_with_force_overwrites()
    {
        Directory.CreateDirectory(Project);
        File.WriteAllText(Path.Combine(Project, "tasks.json"), "mine");

        var run = await CliRun.Of("init", Project, "--force");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot, "tasks.json")), File.ReadAllText(Path.Combine(Project, "tasks.json")));
    }

    [Fact]
    public async Task Init_into_a_file_is_a_user_error()
    {
        var file = Path.Combine(_temp.FullName, "a-file");
        File.WriteAllText(file, "");

        var run = await CliRun.Of("init", file);

        Assert.Equal(HierReasonCli.UserError, run.ExitCode);
        Assert.Contains($"{file}: not a folder", run.Err);
    }

    [Fact]
    public void Models_drops_untrainable_models_and_what_is_built_on_them()
    {
        var models = ProjectScaffold.Models("""
            { // a comment
              "models": [
                { "name": "a", "backend": "local", "train": "tasks/experiments/tiny-sft.json" },
                { "name": "b", "backend": "local", "train": "tasks/experiments/other.json" },
                { "name": "b-calc", "strategy": "calculator", "model": "b" },
                { "name": "a-calc", "strategy": "calculator", "model": "a" },
                { "name": "remote", "backend": "openai", "model": "b" },
              ]
            }
            """);

        var names = System.Text.RegularExpressions.Regex.Matches(models, "\"name\": \"([^\"]+)\"").Select(m => m.Groups[1].Value);
        Assert.Equal(["a", "a-calc", "remote"], names);
    }

    private static string RepoRoot => Checkout.Root;

    public void Dispose() => _temp.Delete(recursive: true);
}
