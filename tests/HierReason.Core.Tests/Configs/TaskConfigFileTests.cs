using HierReason.Core.Configs;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Configs;

public sealed class TaskConfigFileTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string json, string name = "leg_counting.json") => _dir.Write(Path.Combine("tasks", name), json);

    private static void AssertError(string file, string jsonPath, Action load, string? messagePart = null)
    {
        var e = Assert.Throws<ConfigException>(load);
        Assert.Equal(file, e.File);
        Assert.Equal(jsonPath, e.JsonPath);
        Assert.StartsWith($"{file}: {jsonPath}: expected ", e.Message);
        if (messagePart is not null) Assert.Contains(messagePart, e.Message);
    }

    [Fact]
    public void Overrides_apply_on_the_code_defaults_and_levels_on_the_file_config()
    {
        var path = Write("""
            {
              "task": "leg_counting",
              "config": { "max_instances": 7 },
              "levels": [ { "max_animals": 3 }, { } ],
              "rewards": { "correctness": 1.0, "format": 0.2 },
              "prompt": "universal"
            }
            """);
        var file = TaskConfigFile.Load(path);
        Assert.Equal(new LegCountingConfig { MaxInstances = 7 }, file.Config);
        Assert.Equal(new LegCountingConfig { MaxInstances = 7, MaxAnimals = 3 }, file.Levels[0]);
        Assert.Equal(file.Config, file.Levels[1]);
        Assert.Equal(0.2, file.Rewards["format"]);
        Assert.Equal(1.0, file.Rewards["correctness"]);
        Assert.Equal("universal", file.Prompt);
        Assert.Same(file.Levels[1], file.ConfigAt(1));
    }

    [Fact]
    public void Omitted_sections_fall_back_to_the_code_defaults()
    {
        var file = TaskConfigFile.Load(Write("""{ "task": "leg_counting" }"""));
        var task = TaskRegistry.Default.Get("leg_counting");
        Assert.Equal(task.DefaultConfig, file.Config);
        Assert.Equal(task.Levels, file.Levels);
        Assert.Equal(1.0, Assert.Single(file.Rewards).Value);
        Assert.Equal("universal", file.Prompt);
    }

    [Fact]
    public void Printed_defaults_read_back_to_the_same_configs()
    {
        var task = TaskRegistry.Default.Get("leg_counting");
        var json = TaskConfigFile.Defaults(task).ToJson().ToJsonString(HierJson.Indented);
        var file = TaskConfigFile.Load(Write(json));
        Assert.Equal(task.DefaultConfig, file.Config);
        Assert.Equal(task.Levels, file.Levels);
    }

    [Fact]
    public void A_task_without_a_file_gets_the_code_defaults()
    {
        var task = TaskRegistry.Default.Get("leg_counting");
        var file = TaskConfigFile.ForTask(task, Path.Combine(_dir.Root, "no-such-dir"));
        Assert.Null(file.Path);
        Assert.Equal(task.DefaultConfig, file.Config);
    }

    [Fact]
    public void Malformed_json_names_the_line_and_position()
    {
        var path = Write("{\n  \"task\": leg_counting\n}");
        AssertError(path, "$", () => TaskConfigFile.Load(path), "line 2, position 11");
    }

    [Fact]
    public void A_file_that_is_not_an_object_is_rejected_at_the_root()
    {
        var path = Write("""[ "leg_counting" ]""");
        AssertError(path, "$", () => TaskConfigFile.Load(path), "a JSON object");
    }

    [Fact]
    public void A_config_value_of_the_wrong_type_names_its_path()
    {
        var path = Write("""{ "task": "leg_counting", "config": { "min_animals": "three" } }""");
        AssertError(path, "$.config.min_animals", () => TaskConfigFile.Load(path), "an integer");
    }

    [Fact]
    public void An_unknown_config_field_names_its_path()
    {
        var path = Write("""{ "task": "leg_counting", "config": { "max_legs": 4 } }""");
        AssertError(path, "$.config.max_legs", () => TaskConfigFile.Load(path), "unknown field 'max_legs'");
    }

    [Fact]
    public void An_unknown_top_level_field_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "difficulty": 2 }""");
        AssertError(path, "$.difficulty", () => TaskConfigFile.Load(path), "unknown field 'difficulty'");
    }

    [Fact]
    public void An_unregistered_task_is_rejected()
    {
        var path = Write("""{ "task": "leg_count" }""", "leg_count.json");
        AssertError(path, "$.task", () => TaskConfigFile.Load(path), "a registered task");
    }

    [Fact]
    public void A_task_that_does_not_match_the_file_name_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting" }""", "chain_sum.json");
        AssertError(path, "$.task", () => TaskConfigFile.Load(path), "'chain_sum', the name of the file");
    }

    [Fact]
    public void A_missing_task_name_is_rejected()
    {
        var path = Write("""{ "config": { } }""");
        AssertError(path, "$.task", () => TaskConfigFile.Load(path), "a required field");
    }

    [Fact]
    public void A_config_value_out_of_range_names_its_path()
    {
        var path = Write("""{ "task": "leg_counting", "config": { "min_animals": 0 } }""");
        AssertError(path, "$.config.min_animals", () => TaskConfigFile.Load(path), "[1, 32]");
    }

    [Fact]
    public void A_level_value_out_of_range_names_the_level_and_field()
    {
        var path = Write("""{ "task": "leg_counting", "levels": [ { "max_animals": 3 }, { "max_animals": 99 } ] }""");
        AssertError(path, "$.levels[1].max_animals", () => TaskConfigFile.Load(path));
    }

    [Fact]
    public void A_level_that_is_not_an_object_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "levels": [ 3 ] }""");
        AssertError(path, "$.levels[0]", () => TaskConfigFile.Load(path), "found 3");
    }

    [Fact]
    public void An_empty_level_list_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "levels": [] }""");
        AssertError(path, "$.levels", () => TaskConfigFile.Load(path), "non-empty");
    }

    [Fact]
    public void A_negative_reward_weight_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "rewards": { "correctness": 1.0, "format": -0.1 } }""");
        AssertError(path, "$.rewards.format", () => TaskConfigFile.Load(path), "non-negative");
    }

    [Fact]
    public void A_reward_weight_that_is_not_a_number_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "rewards": { "correctness": "high" } }""");
        AssertError(path, "$.rewards.correctness", () => TaskConfigFile.Load(path), "a number");
    }

    [Fact]
    public void An_unknown_reward_name_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "rewards": { "speed": 1.0 } }""");
        AssertError(path, "$.rewards.speed", () => TaskConfigFile.Load(path), "correctness, format");
    }

    [Fact]
    public void Rewards_that_are_all_zero_are_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "rewards": { "correctness": 0 } }""");
        AssertError(path, "$.rewards", () => TaskConfigFile.Load(path), "positive");
    }

    [Fact]
    public void An_unknown_prompt_style_is_rejected()
    {
        var path = Write("""{ "task": "leg_counting", "prompt": "chatty" }""");
        AssertError(path, "$.prompt", () => TaskConfigFile.Load(path), "universal");
    }

    [Fact]
    public void Asking_for_a_level_the_file_lacks_names_the_source()
    {
        var file = TaskConfigFile.Load(Write("""{ "task": "leg_counting", "levels": [ { } ] }"""));
        var e = Assert.Throws<ConfigException>(() => file.ConfigAt(1, "--level", "$"));
        Assert.Equal("--level", e.File);
        Assert.Contains("[0, 0]", e.Message);
    }
}
