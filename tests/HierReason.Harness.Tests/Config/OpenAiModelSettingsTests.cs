using System.Text.Json;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Config;

/// <summary>
/// An openai entry's request settings in models.json (max_tokens_field, sampling, reasoning_effort, extra_body, headers, n,
/// timeout_seconds): read into the job, kept by the job file, part of the job key only when set, and every mistake named
/// by file and JSON path.
/// </summary>
public sealed class OpenAiModelSettingsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Remote = """ "name": "r", "backend": "openai", "base_url": "https://api.example.test/v1", "model": "o4-mini" """;

    private ModelSet Models(string more) => ModelsFile.Parse($$"""{ "models": [ { {{Remote}} {{more}} } ] }""", "models.json", _dir.Path);

    private static TaskSet Tasks() => TaskSetFile.Parse("""{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""", "tasks.json", RepoPaths.TaskConfigs);

    private const string AllKeys = """
        , "max_tokens_field": "max_tokens", "sampling": ["top_p"], "reasoning_effort": "high",
        "extra_body": { "top_k": 20, "chat_template_kwargs": { "enable_thinking": true } },
        "headers": { "X-Team": "evals", "X-Gateway-Key": { "env": "GATEWAY_KEY" } }, "n": 4, "timeout_seconds": 600
        """;

    [Fact]
    public void Every_key_is_read_into_the_entry()
    {
        var settings = Models(AllKeys).Models.Single().OpenAi!;

        Assert.Equal(("max_tokens", "high", 4, 600.0), (settings.MaxTokensField, settings.ReasoningEffort, settings.N!.Value, settings.TimeoutSeconds!.Value));
        Assert.Equal(["top_p"], settings.Sampling!);
        Assert.Equal("""{"top_k":20,"chat_template_kwargs":{"enable_thinking":true}}""", settings.ExtraBody!.ToJsonString());
        Assert.Equal(new Dictionary<string, string> { ["X-Team"] = "evals" }, settings.Headers);
        Assert.Equal(new Dictionary<string, string> { ["X-Gateway-Key"] = "GATEWAY_KEY" }, settings.HeaderEnv);
    }

    [Fact]
    public void An_entry_without_settings_has_none_and_its_job_key_is_unchanged_by_the_feature()
    {
        Assert.Null(Models("").Models.Single().OpenAi);
        var plain = JobMatrix.Expand(Tasks(), Models(""), new MatrixOptions()).Single();
        var set = JobMatrix.Expand(Tasks(), Models(AllKeys), new MatrixOptions()).Single();
        var other = JobMatrix.Expand(Tasks(), Models(AllKeys.Replace("\"high\"", "\"low\"")), new MatrixOptions()).Single();

        Assert.Null(plain.Model.OpenAi);
        Assert.Equal(3, new[] { plain.Key, set.Key, other.Key }.Distinct().Count());
        // The job written without settings has no "openai" member at all: older job files and keys read the same.
        Assert.DoesNotContain("\"openai\":", JsonSerializer.Serialize(plain, HierJson.Options));
    }

    [Fact]
    public void A_job_file_round_trip_keeps_the_settings_and_only_the_name_of_a_header_variable()
    {
        Environment.SetEnvironmentVariable("GATEWAY_KEY", null);
        var job = JobMatrix.Expand(Tasks(), Models(AllKeys), new MatrixOptions()).Single();
        var json = JsonSerializer.Serialize(job, HierJson.Options);
        var back = JsonSerializer.Deserialize<EvalJob>(json, HierJson.Options)!.Model.OpenAi!;

        Assert.Contains("\"openai\":{\"max_tokens_field\":\"max_tokens\"", json);
        Assert.Equal(("max_tokens", "high", 4, 600.0), (back.MaxTokensField, back.ReasoningEffort, back.N, back.TimeoutSeconds));
        Assert.Equal(["top_p"], back.Sampling!);
        Assert.Equal(job.Model.OpenAi!.ExtraBody!.ToJsonString(), back.ExtraBody!.ToJsonString());
        Assert.Equal("GATEWAY_KEY", back.HeaderEnv!["X-Gateway-Key"]);
        Assert.Equal("evals", back.Headers!["X-Team"]);
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        // extra keys of the entry, the JSON path the error names, a fragment of what it expected
        { """, "max_tokens_field": "max_output_tokens" """, "$.models[0].max_tokens_field", "one of max_tokens, max_completion_tokens" },
        { """, "max_tokens_field": 5 """, "$.models[0].max_tokens_field", "a string" },
        { """, "sampling": true """, "$.models[0].sampling", "a list" },
        { """, "sampling": ["temperature", "top_k"] """, "$.models[0].sampling[1]", "one of temperature, top_p" },
        { """, "sampling": ["top_p", "top_p"] """, "$.models[0].sampling[1]", "each field once" },
        { """, "sampling": [1] """, "$.models[0].sampling[0]", "a string" },
        { """, "reasoning_effort": "max" """, "$.models[0].reasoning_effort", "one of minimal, low, medium, high" },
        { """, "extra_body": [1] """, "$.models[0].extra_body", "an object" },
        { """, "extra_body": { "model": "other" } """, "$.models[0].extra_body.model", "no 'model'" },
        { """, "extra_body": { "messages": [] } """, "$.models[0].extra_body.messages", "no 'messages'" },
        { """, "extra_body": { "n": 2 } """, "$.models[0].extra_body.n", "set the entry's \"n\"" },
        { """, "headers": "X-Team: evals" """, "$.models[0].headers", "an object" },
        { """, "headers": { "X-Team": 3 } """, "$.models[0].headers.X-Team", "a string, or {\"env\": \"NAME\"}" },
        { """, "headers": { "X Team": "evals" } """, "$.models[0].headers.X Team", "an HTTP header name" },
        { """, "headers": { "authorization": "Bearer x" } """, "$.models[0].headers.authorization", "the API key goes in api_key_env" },
        { """, "headers": { "X-Key": { "env": "MY-KEY" } } """, "$.models[0].headers.X-Key.env", "an environment variable name" },
        { """, "headers": { "X-Key": { "variable": "K" } } """, "$.models[0].headers.X-Key.variable", "unknown field" },
        { """, "headers": { "X-Key": {} } """, "$.models[0].headers.X-Key.env", "a required field" },
        { """, "headers": { "X-Key": "a\nb" } """, "$.models[0].headers.X-Key", "on one line" },
        { """, "n": 0 """, "$.models[0].n", "[1, 128]" },
        { """, "n": "2" """, "$.models[0].n", "[1, 128]" },
        { """, "timeout_seconds": 0 """, "$.models[0].timeout_seconds", "(0, 3600]" },
        { """, "timeout_seconds": "60" """, "$.models[0].timeout_seconds", "a number" },
        { """, "max_completion_tokens": 100 """, "$.models[0].max_completion_tokens", "unknown field" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_bad_setting_names_the_file_and_the_json_path(string more, string path, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Models(more));
        Assert.Equal(path, e.JsonPath);
        Assert.Equal("models.json", e.File);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("sampling", "[]")]
    [InlineData("extra_body", "{}")]
    [InlineData("timeout_seconds", "60")]
    public void A_local_model_may_not_set_them(string key, string value)
    {
        var e = Assert.Throws<ConfigException>(() =>
            ModelsFile.Parse($$"""{ "models": [ { "name": "l", "backend": "local", "path": "m", "{{key}}": {{value}} } ] }""", "models.json", _dir.Path));
        Assert.Equal($"$.models[0].{key}", e.JsonPath);
        Assert.Contains("no remote field on a local model", e.Message);
    }

    [Fact]
    public void The_repository_models_file_with_its_reasoning_example_is_valid()
    {
        var models = ModelsFile.Load(Path.Combine(RepoPaths.Root, "models.json"));
        var o4 = models.Models.Single(m => m.Name == "o4-mini");
        Assert.Equal("low", o4.OpenAi!.ReasoningEffort);
        Assert.True(OpenAiRequestSettings.IsReasoningModel(o4.RemoteModel!));
    }
}
