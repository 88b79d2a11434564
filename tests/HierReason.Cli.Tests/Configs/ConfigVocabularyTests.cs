using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Harness.Config;
using HierReason.Harness.Reporting;
using HierReason.Training.Experiments;

namespace HierReason.Cli.Tests.Configs;

/// <summary>
/// Issue 24's key renames: the new names are read, the old ones still are for one release with a one-line warning naming
/// the file, the JSON path and the new name, and a file with both is an error. <c>model.from</c> resolves against the file.
/// </summary>
public sealed class ConfigVocabularyTests : IDisposable
{
    private readonly ConfigSchemaTests.TempFolder _dir = new();
    private readonly StringWriter _warnings = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Sends this test's deprecation warnings to <see cref="WarningLines"/> (an async-local redirect: tests run in parallel).</summary>
    private IDisposable Capture() => ConfigDeprecation.RedirectTo(_warnings);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private string[] WarningLines => _warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Models_generation_reads_max_new_tokens_and_the_old_max_tokens_with_a_warning()
    {
        using var capture = Capture();
        var current = Write("current.json", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "max_new_tokens": 77 } } ] }""");
        Assert.Equal(77, ModelsFile.Load(current).Models[0].Generation.MaxTokens);
        Assert.Empty(WarningLines);

        var old = Write("old.json", """{ "models": [ { "name": "a", "backend": "local", "path": "m" } ], "defaults": { "generation": { "max_tokens": 55 } } }""");
        Assert.Equal(55, ModelsFile.Load(old).Models[0].Generation.MaxTokens);
        var warning = Assert.Single(WarningLines);
        Assert.Contains(old, warning);
        Assert.Contains("$.defaults.generation.max_tokens", warning);
        Assert.Contains("\"max_new_tokens\"", warning);

        var both = Write("both.json", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "max_tokens": 5, "max_new_tokens": 6 } } ] }""");
        var error = Assert.Throws<ConfigException>(() => ModelsFile.Load(both));
        Assert.Equal((both, "$.models[0].generation.max_tokens"), (error.File, error.JsonPath));
    }

    private const string Data = """ "data": { "tasks": [ { "task": "chain_sum" } ] } """;

    [Fact]
    public void Grpo_reads_max_new_tokens_and_the_old_max_completion_length_from_any_file_of_the_chain()
    {
        using var capture = Capture();
        var current = Write("experiments/current.json", $$"""{ "model": { "init": "tiny" }, {{Data}}, "grpo": { "max_new_tokens": 40 } }""");
        Assert.Equal(40, ExperimentConfig.Load(current).Grpo!.Options.MaxCompletionLength);
        Assert.Empty(WarningLines);

        // A base with the old name, a file with the new one: the file's value wins, as with any key.
        Write("experiments/base.json", """{ "grpo": { "max_completion_length": 30, "steps": 3 } }""");
        var child = Write("experiments/child.json", $$"""{ "_base_": "base.json", "model": { "init": "tiny" }, {{Data}}, "grpo": { "max_new_tokens": 50 } }""");
        var config = ExperimentConfig.Load(child);
        Assert.Equal((50, 3), (config.Grpo!.Options.MaxCompletionLength, config.Grpo.Steps));
        var warning = Assert.Single(WarningLines);
        Assert.Contains("base.json", warning);
        Assert.Contains("$.grpo.max_completion_length", warning);
        Assert.Contains("\"max_new_tokens\"", warning);

        // The old name alone means the same experiment as the new one (the same merged JSON, so the same hash).
        var old = Write("experiments/old.json", $$"""{ "model": { "init": "tiny" }, {{Data}}, "grpo": { "max_completion_length": 40 } }""");
        Assert.Equal(ExperimentConfig.Load(current).ResolvedJson, ExperimentConfig.Load(old).ResolvedJson);

        var both = Write("experiments/both.json", $$"""{ "model": { "init": "tiny" }, {{Data}}, "grpo": { "max_completion_length": 40, "max_new_tokens": 40 } }""");
        Assert.Equal("$.grpo.max_completion_length", Assert.Throws<ConfigException>(() => ExperimentConfig.Load(both)).JsonPath);
    }

    [Fact]
    public void Comments_and_schema_never_change_an_experiment()
    {
        using var capture = Capture();
        var plain = Write("experiments/plain.json", $$"""{ "model": { "init": "tiny" }, {{Data}} }""");
        var annotated = Write("experiments/annotated.json",
            $$"""{ "$schema": "../../schemas/experiment.schema.json", "$comment": "why", "model": { "$comment": ["a", "b"], "init": "tiny" }, {{Data}} }""");
        Assert.Equal(ExperimentConfig.Load(plain).ResolvedJson, ExperimentConfig.Load(annotated).ResolvedJson);
    }

    [Fact]
    public void Model_from_resolves_against_the_experiment_file()
    {
        using var capture = Capture();
        var upstream = Path.Combine(_dir.Path, "artifacts", "models", "up");
        Directory.CreateDirectory(upstream);
        var path = Write("tasks/experiments/next.json", $$"""{ "model": { "from": "../../artifacts/models/up" }, {{Data}} }""");
        Assert.Equal(upstream, ExperimentConfig.Load(path).Model.Path);
        Assert.Empty(WarningLines);

        // Not written yet (an earlier experiment of the same run writes it): still the file's.
        var later = Write("tasks/experiments/later.json", $$"""{ "model": { "from": "../../artifacts/models/not-yet" }, {{Data}} }""");
        Assert.Equal(Path.Combine(_dir.Path, "artifacts", "models", "not-yet"), ExperimentConfig.Load(later).Model.Path);
        Assert.Empty(WarningLines);
    }

    [Fact]
    public void Model_from_that_exists_only_relative_to_the_working_directory_is_used_with_a_warning()
    {
        using var capture = Capture();
        // The old meaning: a folder relative to the working directory (the test's, which no other test changes).
        var name = "hr-from-" + Guid.NewGuid().ToString("N");
        var folder = Path.GetFullPath(name);
        Directory.CreateDirectory(folder);
        try
        {
            var path = Write("tasks/experiments/old.json", $$"""{ "model": { "from": "{{name}}" }, {{Data}} }""");
            Assert.Equal(folder, ExperimentConfig.Load(path).Model.Path);
            var warning = Assert.Single(WarningLines);
            Assert.Contains(path, warning);
            Assert.Contains("$.model.from", warning);
            Assert.Contains("relative to the experiment file", warning);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Approved_snapshots_write_stderr_and_still_read_std_err()
    {
        using var capture = Capture();
        var path = Write("approved.json", """{ "schema_version": 1, "rows": [ { "task": "t", "model": "m", "accuracy": 0.5, "std_err": 0.125, "n": 8 } ] }""");
        var snapshot = ApprovedSnapshot.Load(path);
        Assert.Equal(0.125, snapshot.Rows[0].StdErr);
        var warning = Assert.Single(WarningLines);
        Assert.Contains("$.rows[0].std_err", warning);
        Assert.Contains("\"stderr\"", warning);

        Assert.Contains("\"stderr\": 0.125", snapshot.ToJson());
        Assert.DoesNotContain("std_err", snapshot.ToJson());
        var rewritten = Write("rewritten.json", snapshot.ToJson());
        Assert.Equal(snapshot.Rows, ApprovedSnapshot.Load(rewritten).Rows);
        Assert.Single(WarningLines);
    }

    [Fact]
    public async Task The_cli_prints_the_deprecation_warning_on_its_error_writer()
    {
        var models = Write("models.json", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "max_tokens": 9 } } ] }""");
        var tasks = Write("tasks.json", """{ "tasks": [ { "task": "chain_sum" } ] }""");
        var run = await CliRun.Of("bench", "--models", models, "--tasks", tasks, "--dry-run");
        Assert.Contains($"warning: {models}: $.models[0].generation.max_tokens is a deprecated name; use \"max_new_tokens\"", run.Err);
    }
}
