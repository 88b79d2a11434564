using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Training.Experiments;

namespace HierReason.Training.Tests.Experiments;

public sealed class ExperimentConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-exp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private const string Minimal = """
        "model": { "init": "tiny", "seed": 3 },
        "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] }
        """;

    [Fact]
    public void Later_files_override_earlier_ones_objects_merged_and_arrays_replaced()
    {
        Write("base.json", """{ "sft": { "steps": 10, "batch_size": 4, "learning_rate": 0.01 }, "model": { "device": "cpu" }, "data": { "tasks": [ { "task": "leg_counting" }, { "task": "chain_sum" } ], "seed": 5 } }""");
        Write("model.json", """{ "_base_": "base.json", "model": { "init": "tiny", "seed": 7 }, "sft": { "batch_size": 2 } }""");
        var path = Write("sub/exp.json", """{ "_base_": ["../model.json"], "data": { "tasks": [ { "task": "basic_arithmetic", "weight": 2 } ] }, "sft": { "steps": 20 } }""");

        var config = ExperimentConfig.Load(path);

        Assert.Equal("exp", config.Name);
        Assert.Equal(new SftSection(20, 2, 1, 0.01, 0, 0.0, 1.0, 512), config.Sft);
        Assert.Equal(7, config.Model.Seed);
        Assert.Equal("tiny", config.Model.Init);
        Assert.Equal(5, config.Data.Seed);
        var task = Assert.Single(config.Data.Tasks);
        Assert.Equal(("basic_arithmetic", 2.0), (task.Task.Name, task.Weight));
        Assert.Equal(Path.Combine("artifacts", "models", "exp"), config.Output);
        Assert.Equal(Split.Validation, config.Eval.Split);
    }

    [Fact]
    public void A_level_takes_the_tasks_preset_and_config_overrides_apply_on_top()
    {
        var path = Write("exp.json", """{ "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum", "level": 0, "config": { "max_terms": 2 } } ] } }""");
        var entry = Assert.Single(ExperimentConfig.Load(path).Data.Tasks);
        var expected = (TaskRegistry.Default.Get("chain_sum").ParseConfig(new System.Text.Json.Nodes.JsonObject { ["max_terms"] = 2 }, null, "$", TaskRegistry.Default.Get("chain_sum").Levels[0]));
        Assert.Equal(expected, entry.Config);
        Assert.Equal(0, entry.Level);
    }

    [Fact]
    public void A_missing_base_file_names_the_file_and_path_that_refer_to_it()
    {
        var path = Write("exp.json", $$"""{ "_base_": ["nope.json"], {{Minimal}} }""");
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal("$._base_[0]", e.JsonPath);
        Assert.Contains("nope.json", e.Message);
    }

    [Fact]
    public void A_base_cycle_is_reported_with_the_chain()
    {
        Write("a.json", """{ "_base_": "b.json" }""");
        Write("b.json", """{ "_base_": "a.json" }""");
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(Path.Combine(_dir, "a.json")));
        Assert.Contains("a.json -> b.json -> a.json", e.Message);
        Assert.Equal("$._base_", e.JsonPath);
    }

    [Fact]
    public void An_unknown_field_is_blamed_on_the_base_file_that_set_it()
    {
        var basePath = Write("base.json", """{ "sft": { "stepz": 3 } }""");
        var path = Write("exp.json", $$"""{ "_base_": "base.json", {{Minimal}} }""");
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Equal(basePath, e.File);
        Assert.Equal("$.sft.stepz", e.JsonPath);
        Assert.Contains("unknown field", e.Message);
    }

    [Fact]
    public void A_wrong_type_names_file_path_and_what_was_expected()
    {
        var path = Write("exp.json", $$"""{ {{Minimal}}, "sft": { "batch_size": "eight" } }""");
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal("$.sft.batch_size", e.JsonPath);
        Assert.Contains("an integer", e.Expected);
    }

    [Fact]
    public void An_unknown_task_lists_the_registered_ones()
    {
        var path = Write("exp.json", """{ "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chess" } ] } }""");
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Equal("$.data.tasks[0].task", e.JsonPath);
        Assert.Contains("chain_sum", e.Message);
    }

    [Fact]
    public void Model_needs_exactly_one_of_init_and_path()
    {
        var path = Write("exp.json", """{ "model": { "init": "tiny", "path": "x" }, "data": { "tasks": [ { "task": "chain_sum" } ] } }""");
        Assert.Equal("$.model", Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path)).JsonPath);
    }

    [Fact]
    public void Lora_and_opaque_grpo_sections_are_read()
    {
        var path = Write("exp.json", """{ "model": { "init": "tiny", "lora": { "r": 4, "alpha": 8, "target_modules": ["q_proj"] } }, "data": { "tasks": [ { "task": "chain_sum" } ] }, "grpo": { "beta": 0.04 } }""");
        var config = ExperimentConfig.Load(path);
        Assert.Equal(4, config.Model.Lora!.R);
        Assert.Equal(["q_proj"], config.Model.Lora.TargetModules);
        Assert.Equal(0.04, config.Grpo!.Options.Beta);
    }

    [Fact]
    public void The_shipped_tiny_experiments_train_on_the_default_benchmarks_task_configs()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "tasks.json"))) repo = Path.GetDirectoryName(repo)!;
        var bench = HierReason.Core.Configs.TaskSetFile.Load(Path.Combine(repo, "tasks.json"), Path.Combine(repo, "tasks"));
        foreach (var name in new[] { "tiny-sft", "tiny-grpo" })
        {
            var config = ExperimentConfig.Load(Path.Combine(repo, "tasks", "experiments", name + ".json"));
            Assert.Equal(name, config.Name);
            Assert.Equal(bench.Entries.Select(e => e.Task.Name), config.Data.Tasks.Select(t => t.Task.Name));
            // What SFT and GRPO see is what the benchmark asks: same configs (compared as JSON) and levels.
            Assert.Equal(bench.Entries.Select(e => System.Text.Json.JsonSerializer.Serialize(e.Config, e.Config.GetType())),
                config.Data.Tasks.Select(t => System.Text.Json.JsonSerializer.Serialize(t.Config, t.Config.GetType())));
            Assert.Equal(bench.Entries.Select(e => e.Level), config.Data.Tasks.Select(t => t.Level));
        }
    }
}
