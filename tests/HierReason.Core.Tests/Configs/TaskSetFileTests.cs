using HierReason.Core.Json;
using System.Text.Json;
using HierReason.Core.Configs;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Configs;

public sealed class TaskSetFileTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string json) => _dir.Write("tasks.json", json);

    private static void AssertError(string file, string jsonPath, Action load, string? messagePart = null)
    {
        var e = Assert.Throws<ConfigException>(load);
        Assert.Equal(file, e.File);
        Assert.Equal(jsonPath, e.JsonPath);
        Assert.StartsWith($"{file}: {jsonPath}: expected ", e.Message);
        if (messagePart is not null) Assert.Contains(messagePart, e.Message);
    }

    private static string OneEntry(string fields) => $$"""{ "tasks": [ { "task": "leg_counting"{{fields}} } ] }""";

    [Fact]
    public void Entries_override_the_defaults_and_inherit_the_rest()
    {
        var path = Write("""
            {
              "tasks": [
                { "task": "leg_counting", "n": 200, "split": "validation" },
                { "task": "leg_counting", "seeds": [3, 4], "config": { "max_animals": 4 } }
              ],
              "defaults": { "n": 50, "split": "train", "seeds": [9] }
            }
            """);
        var set = TaskSetFile.Load(path);
        Assert.Equal(2, set.Entries.Count);
        var (a, b) = (set.Entries[0], set.Entries[1]);
        Assert.Equal((200, Split.Validation), (a.N, a.Split));
        Assert.Equal([9L], a.Seeds);
        Assert.Equal((50, Split.Train), (b.N, b.Split));
        Assert.Equal([3L, 4L], b.Seeds);
        Assert.Equal(new LegCountingConfig { MaxAnimals = 4 }, b.Config);
        Assert.Null(a.Level);
    }

    [Fact]
    public void Without_defaults_an_entry_gets_100_test_items_of_seed_0()
    {
        var entry = Assert.Single(TaskSetFile.Load(Write(OneEntry(""))).Entries);
        Assert.Equal((100, Split.Test, 0L), (entry.N, entry.Split, Assert.Single(entry.Seeds)));
    }

    [Fact]
    public void Entry_config_overlays_the_task_file_at_the_entry_level()
    {
        _dir.Write(Path.Combine("tasks", "leg_counting.json"), """
            { "task": "leg_counting", "config": { "max_instances": 9 }, "levels": [ { "max_animals": 3 }, { "max_animals": 5 } ] }
            """);
        var set = TaskSetFile.Load(Write("""
            { "tasks": [
                { "task": "leg_counting" },
                { "task": "leg_counting", "level": 1, "config": { "min_instances": 2 } }
            ] }
            """));
        Assert.Equal(new LegCountingConfig { MaxInstances = 9 }, set.Entries[0].Config);
        Assert.Equal(new LegCountingConfig { MaxInstances = 9, MaxAnimals = 5, MinInstances = 2 }, set.Entries[1].Config);
        Assert.Equal(1, set.Entries[1].Level);
    }

    [Fact]
    public void The_repository_task_files_load()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "HierReason.sln"))) root = Path.GetDirectoryName(root)!;
        // The default benchmark: the tiny models' two tasks, additions written column by column over 1-2-digit numbers
        // (question spaces far beyond the 500 test items); the full set lists every task.
        var bench = TaskSetFile.Load(Path.Combine(root, "tasks.json"));
        Assert.Equal(["chain_sum", "basic_arithmetic"], bench.Entries.Select(e => e.Task.Name));
        Assert.All(bench.Entries, e => Assert.True(e.N == 500 && e.Split == Split.Test));
        var chain = Assert.IsType<ChainSumConfig>(bench.Entries[0].Config);
        Assert.True(chain is { ColumnSteps: true, AllowSubtraction: false, MinDigits: 2, MaxDigits: 2, MinTerms: 2, MaxTerms: 3 });
        var basic = Assert.IsType<BasicArithmeticConfig>(bench.Entries[1].Config);
        Assert.True(basic is { ColumnSteps: true, Operators: "+", MinDigits: 1, MaxDigits: 2, MinTerms: 2, MaxTerms: 2 });
        Assert.All(bench.Entries, e => Assert.Null(e.Level));
        var set = TaskSetFile.Load(Path.Combine(root, "tasks", "sets", "all.json"), Path.Combine(root, "tasks"));
        foreach (var file in Directory.GetFiles(Path.Combine(root, "tasks"), "*.json"))
            Assert.Equal(Path.GetFileNameWithoutExtension(file), TaskConfigFile.Load(file).Task.Name);
        foreach (var task in TaskRegistry.Default.All)
        {
            var file = TaskConfigFile.Load(Path.Combine(root, "tasks", task.Name + ".json"));
            // Compared as JSON: configs with list fields are not equal by reference.
            Assert.Equal(JsonSerializer.Serialize(task.DefaultConfig, task.ConfigType, HierJson.Options),
                JsonSerializer.Serialize(file.Config, task.ConfigType, HierJson.Options));
            Assert.Contains(set.Entries, e => e.Task == task);
        }
        var legs = TaskConfigFile.Load(Path.Combine(root, "tasks", "leg_counting.json"));
        Assert.Equal(legs.Task.DefaultConfig, legs.Config);
        Assert.Equal(0.1, legs.Rewards["format"]);
    }

    [Fact]
    public void Malformed_json_names_the_line()
    {
        var path = Write("{\n  \"tasks\": [\n    { \"task\": \"leg_counting\" \"n\": 3 }\n  ]\n}");
        AssertError(path, "$", () => TaskSetFile.Load(path), "line 3");
    }

    [Fact]
    public void An_empty_task_list_is_rejected()
    {
        var path = Write("""{ "tasks": [] }""");
        AssertError(path, "$.tasks", () => TaskSetFile.Load(path), "non-empty");
    }

    [Fact]
    public void A_missing_task_list_is_rejected()
    {
        var path = Write("""{ "defaults": { "n": 3 } }""");
        AssertError(path, "$.tasks", () => TaskSetFile.Load(path), "a required field");
    }

    [Fact]
    public void Zero_items_is_rejected()
    {
        var path = Write(OneEntry(""", "n": 0"""));
        AssertError(path, "$.tasks[0].n", () => TaskSetFile.Load(path), "[1, 1000000]");
    }

    [Fact]
    public void A_count_written_as_a_string_is_rejected()
    {
        var path = Write(OneEntry(""", "n": "200" """));
        AssertError(path, "$.tasks[0].n", () => TaskSetFile.Load(path), "found \"200\"");
    }

    [Fact]
    public void Too_many_items_in_the_defaults_is_rejected()
    {
        var path = Write("""{ "tasks": [ { "task": "leg_counting" } ], "defaults": { "n": 2000000 } }""");
        AssertError(path, "$.defaults.n", () => TaskSetFile.Load(path));
    }

    [Fact]
    public void An_unknown_split_is_rejected()
    {
        var path = Write(OneEntry(""", "split": "holdout" """));
        AssertError(path, "$.tasks[0].split", () => TaskSetFile.Load(path), "train, validation, test");
    }

    [Fact]
    public void An_empty_seed_list_is_rejected()
    {
        var path = Write(OneEntry(""", "seeds": [] """));
        AssertError(path, "$.tasks[0].seeds", () => TaskSetFile.Load(path), "non-empty");
    }

    [Fact]
    public void A_fractional_seed_names_its_index()
    {
        var path = Write(OneEntry(""", "seeds": [0, 1.5] """));
        AssertError(path, "$.tasks[0].seeds[1]", () => TaskSetFile.Load(path), "an integer seed");
    }

    [Fact]
    public void A_seed_written_as_text_names_its_index()
    {
        var path = Write("""{ "tasks": [ { "task": "leg_counting" } ], "defaults": { "seeds": ["zero"] } }""");
        AssertError(path, "$.defaults.seeds[0]", () => TaskSetFile.Load(path), "an integer seed");
    }

    [Fact]
    public void A_repeated_seed_is_rejected()
    {
        var path = Write(OneEntry(""", "seeds": [1, 2, 1] """));
        AssertError(path, "$.tasks[0].seeds[2]", () => TaskSetFile.Load(path), "distinct");
    }

    [Fact]
    public void An_unregistered_task_names_its_entry()
    {
        var path = Write("""{ "tasks": [ { "task": "leg_counting" }, { "task": "sudoku9000" } ] }""");
        AssertError(path, "$.tasks[1].task", () => TaskSetFile.Load(path), "'sudoku9000'");
    }

    [Fact]
    public void A_level_out_of_range_is_rejected()
    {
        var path = Write(OneEntry(""", "level": 9 """));
        AssertError(path, "$.tasks[0].level", () => TaskSetFile.Load(path), "[0, 3]");
    }

    [Fact]
    public void An_unknown_config_field_names_the_entry_config()
    {
        var path = Write(OneEntry(""", "config": { "max_legs": 3 } """));
        AssertError(path, "$.tasks[0].config.max_legs", () => TaskSetFile.Load(path), "unknown field");
    }

    [Fact]
    public void An_invalid_config_value_names_the_entry_config()
    {
        var path = Write(OneEntry(""", "config": { "min_instances": 20, "max_instances": 10 } """));
        AssertError(path, "$.tasks[0].config.min_instances", () => TaskSetFile.Load(path));
    }

    [Fact]
    public void An_unknown_entry_field_is_rejected()
    {
        var path = Write(OneEntry(""", "count": 5 """));
        AssertError(path, "$.tasks[0].count", () => TaskSetFile.Load(path), "unknown field 'count'");
    }

    [Fact]
    public void An_entry_that_is_not_an_object_is_rejected()
    {
        var path = Write("""{ "tasks": [ "leg_counting" ] }""");
        AssertError(path, "$.tasks[0]", () => TaskSetFile.Load(path), "a task entry object");
    }

    [Fact]
    public void An_error_in_the_task_file_names_that_file()
    {
        var taskFile = _dir.Write(Path.Combine("tasks", "leg_counting.json"), """{ "task": "leg_counting", "config": { "max_animals": "many" } }""");
        var path = Write(OneEntry(""));
        AssertError(taskFile, "$.config.max_animals", () => TaskSetFile.Load(path));
    }
}
