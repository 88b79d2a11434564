using HierReason.Core;
using HierReason.Training.Experiments;

namespace HierReason.Training.Tests.Experiments;

/// <summary>Hostile experiment files: unsafe names, budgets no prompt fits, FIFOs and folders where files belong.</summary>
public sealed class ExperimentInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-exp-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private const string Minimal = """
        "model": { "init": "tiny", "seed": 3 },
        "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] }
        """;

    [Theory]
    [InlineData("..", "names a folder itself")]
    [InlineData(".", "names a folder itself")]
    [InlineData("-rf", "starts with '-'")]
    [InlineData("a\u0007b", "U+0007")]
    [InlineData("a/b", "'/'")]
    public void A_name_that_is_not_one_safe_path_segment_is_refused_at_name(string name, string reason)
    {
        var path = Write("exp.json", $$"""{ "name": {{System.Text.Json.JsonSerializer.Serialize(name)}}, {{Minimal}} }""");

        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));

        Assert.Equal((path, "$.name"), (error.File, error.JsonPath));
        Assert.Contains("a name usable as one folder name", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_over_128_characters_is_refused()
    {
        var path = Write("exp.json", $$"""{ "name": "{{new string('n', 129)}}", {{Minimal}} }""");
        Assert.Contains("129 characters", Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_path_over_4096_characters_is_refused_with_its_json_path()
    {
        var path = Write("exp.json", $$"""{ "output": "{{new string('o', 5000)}}", {{Minimal}} }""");

        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));

        Assert.Equal($"{path}: $.output: expected a string of at most 4096 characters; found 5000 characters", error.Message);
    }

    [Fact]
    public void A_max_seq_len_no_prompt_fits_is_refused_at_parse_time_naming_the_base_file_that_set_it()
    {
        var basePath = Write("base.json", """{ "sft": { "max_seq_len": 4 } }""");
        var path = Write("exp.json", $$"""{ "_base_": "base.json", {{Minimal}} }""");

        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));

        Assert.Equal((basePath, "$.sft.max_seq_len"), (error.File, error.JsonPath));
        Assert.Contains("expected at least", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokens with this model's tokenizer", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; found 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_max_seq_len_beyond_the_models_context_is_refused()
    {
        var path = Write("exp.json", $$"""{ "sft": { "max_seq_len": 4096 }, {{Minimal}} }""");

        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));

        Assert.Equal($"{path}: $.sft.max_seq_len: expected at most 1024, the model's context (max_position_embeddings); found 4096", error.Message);
    }

    [Fact]
    public void A_grpo_completion_budget_beyond_the_models_context_is_refused_at_parse_time()
    {
        var path = Write("exp.json", $$"""{ "grpo": { "max_new_tokens": 1000 }, {{Minimal}} }""");

        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));

        Assert.Equal((path, "$.grpo.max_new_tokens"), (error.File, error.JsonPath));
        Assert.Contains("the model's context is 1024 positions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_FIFO_as_a_base_file_is_refused_at_once_naming_the_file_that_names_it()
    {
        var fifo = Fifo.Create(Path.Combine(_dir, "base.json"));
        var path = Write("exp.json", $$"""{ "_base_": "base.json", {{Minimal}} }""");

        var error = await Fifo.WithinLimit(fifo, () => ExperimentConfig.Load(path), TimeSpan.FromSeconds(20));

        var config = Assert.IsType<ConfigException>(error);
        Assert.Equal((path, "$._base_"), (config.File, config.JsonPath));
        Assert.Contains("not a regular file", config.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_as_the_experiment_file_is_refused()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "exp.json")).FullName;

        Assert.Equal($"{folder}: expected a regular file; found a directory", Assert.ThrowsAny<HierReasonException>(() => ExperimentConfig.Load(folder)).Message);
    }
}
