using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Config;

/// <summary>models.json composites: a strategy over other entries, which enters the job key and every result row.</summary>
public sealed class CompositeModelsTests : IDisposable
{
    private readonly TempDir _dir = new();

    private ModelSet Models(string extra = "", string calcOptions = "") => ModelsFile.Parse($$"""
        {
          "models": [
            { "name": "tiny-calc", "strategy": "calculator", "model": "tiny" {{calcOptions}} },
            { "name": "tiny", "backend": "local", "path": "m", "generation": { "max_new_tokens": 64 } },
            { "name": "off", "backend": "local", "path": "o", "enabled": false }
            {{extra}}
          ]
        }
        """, "models.json", _dir.Path);

    private static TaskSet Tasks() => TaskSetFile.Parse("""{ "tasks": [ { "task": "basic_arithmetic" } ], "defaults": { "n": 4 } }""", "tasks.json", RepoPaths.TaskConfigs);

    [Fact]
    public void A_composite_runs_its_policy_model_under_its_own_name_with_checked_options()
    {
        var calc = Models().Models[0];
        Assert.Equal(("tiny-calc", "calculator", _dir.Combine("m")), (calc.Name, calc.Strategy, calc.Path));
        Assert.True(calc.IsComposite);
        Assert.Null(calc.Train);
        Assert.Equal(64, calc.Generation.MaxTokens);
        Assert.Equal(4, (long)calc.StrategyOptions!["max_calls"]!);
        Assert.Equal(new Dictionary<string, string> { ["model"] = "tiny" }, calc.Roles);
        Assert.False(Models().Models[1].IsComposite);
        Assert.Equal("vanilla", Models().Models[1].Strategy);
    }

    [Fact]
    public void A_composite_over_a_disabled_model_is_disabled()
    {
        var set = Models(extra: """, { "name": "off-calc", "strategy": "calculator", "model": "off" }""");
        Assert.False(set.Models.Single(m => m.Name == "off-calc").Enabled);
        Assert.Equal(["tiny-calc", "tiny"], set.Enabled.Select(m => m.Name));
    }

    [Fact]
    public void The_strategy_and_its_options_enter_the_key_and_the_job()
    {
        var jobs = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions());
        var calc = jobs.Single(j => j.Model.Name == "tiny-calc");
        var vanilla = jobs.Single(j => j.Model.Name == "tiny");
        Assert.Equal(("calculator", 4L), (calc.StrategyName, (long)calc.Strategy!.Options["max_calls"]!));
        Assert.Null(vanilla.Strategy);
        Assert.Equal("vanilla", vanilla.StrategyName);
        Assert.Equal(vanilla.Model.Path, calc.Model.Path);
        Assert.NotEqual(vanilla.Key, calc.Key);

        // Equal settings, spelled out or defaulted, give the same key; other options another.
        var spelled = JobMatrix.Expand(Tasks(), Models(calcOptions: """, "options": { "max_calls": 4 }"""), new MatrixOptions()).Single(j => j.Model.Name == "tiny-calc");
        var other = JobMatrix.Expand(Tasks(), Models(calcOptions: """, "options": { "max_calls": 1 }"""), new MatrixOptions()).Single(j => j.Model.Name == "tiny-calc");
        Assert.Equal(calc.Key, spelled.Key);
        Assert.NotEqual(calc.Key, other.Key);
    }

    [Fact]
    public void A_job_file_round_trip_keeps_the_strategy()
    {
        var job = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions()).Single(j => j.Model.Name == "tiny-calc");
        var json = System.Text.Json.JsonSerializer.Serialize(job, HierReason.Core.Json.HierJson.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<HierReason.Core.Results.EvalJob>(json, HierReason.Core.Json.HierJson.Options)!;
        Assert.Equal("calculator", back.StrategyName);
        Assert.Equal(job.Strategy!.Options.ToJsonString(), back.Strategy!.Options.ToJsonString());
        Assert.Contains("\"strategy\":{\"name\":\"calculator\"", json);
    }

    [Fact]
    public void A_planner_worker_composite_names_both_roles_and_gets_its_default_options()
    {
        var pw = Models(extra: """, { "name": "pw", "strategy": "planner_worker", "planner": "tiny", "worker": "tiny" }""").Models.Single(m => m.Name == "pw");
        Assert.Equal(("planner_worker", _dir.Combine("m"), 64), (pw.Strategy, pw.Path, pw.Generation.MaxTokens));
        Assert.Equal(new Dictionary<string, string> { ["planner"] = "tiny", ["worker"] = "tiny" }, pw.Roles);
        Assert.Equal("""{"combine":"model","worker_temperature":0,"worker_max_tokens":256,"max_subproblems":8,"depth":1,"plan":"model"}""", pw.StrategyOptions!.ToJsonString());
    }

    [Theory]
    [InlineData(""", "options": { "combine": "sum" }""", "$.models[3].options.combine", "\"model\" or \"exact\"")]
    [InlineData(""", "options": { "depth": 3 }""", "$.models[3].options.depth", "an integer in [1, 2]")]
    [InlineData("", "$.models[3].worker", "plays 'worker'")]
    public void A_bad_planner_worker_composite_names_the_file_and_the_json_path(string more, string path, string expected)
    {
        var worker = more.Length == 0 ? "" : """, "worker": "tiny" """;
        var e = Assert.Throws<ConfigException>(() => Models(extra: $$""", { "name": "pw", "strategy": "planner_worker", "planner": "tiny" {{worker}} {{more}} }"""));
        Assert.StartsWith($"models.json: {path}: expected", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
