using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Configs;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Cli.Tests.Commands;

public sealed class TasksCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-cli-tests-" + Guid.NewGuid().ToString("N"));

    public TasksCommandsTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* a leftover temp directory is harmless */ }
    }

    private static IReadOnlyList<TaskItem> Items(CliRun run)
        => run.Lines.Select(l => TaskItemJson.Deserialize(JsonDocument.Parse(l).RootElement, TaskRegistry.Default)).ToList();

    [Fact]
    public async Task Version_prints_the_assembly_version()
    {
        var run = await CliRun.Of("--version");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("0.1.0", run.Out.Trim());
    }

    [Fact]
    public async Task List_json_describes_leg_counting_with_its_fields_defaults_and_levels()
    {
        var run = await CliRun.Of("tasks", "list", "--json");
        Assert.Equal(0, run.ExitCode);
        var tasks = JsonNode.Parse(run.Out)!.AsArray();
        var legs = tasks.Single(t => (string)t!["name"]! == "leg_counting")!;
        Assert.Equal("Count the total number of legs of a list of animals.", (string)legs["description"]!);
        Assert.Equal(4, (int)legs["levels"]!);
        var fields = legs["config"]!.AsArray();
        Assert.Equal(["min_animals", "max_animals", "min_instances", "max_instances"], fields.Select(f => (string)f!["name"]!));
        var maxAnimals = fields[1]!;
        Assert.Equal("integer", (string)maxAnimals["type"]!);
        Assert.Equal(10, (int)maxAnimals["default"]!);
        Assert.Equal("Most kinds of animal in a question.", (string)maxAnimals["description"]!);
    }

    [Fact]
    public async Task List_renders_a_table_per_task_without_terminal_codes()
    {
        var run = await CliRun.Of("tasks", "list");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("leg_counting (4 levels)", run.Out);
        Assert.Contains("max_instances", run.Out);
        Assert.DoesNotContain("\u001b[", run.Out);
    }

    [Fact]
    public async Task Sample_prints_three_readable_problems_with_their_traces()
    {
        var run = await CliRun.Of("tasks", "sample", "leg_counting", "--n", "3");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.Lines.Count(l => l.StartsWith("Question: How many legs", StringComparison.Ordinal)));
        Assert.Equal(3, run.Lines.Count(l => l.StartsWith("Answer: ", StringComparison.Ordinal)));
        Assert.Equal(3, run.Lines.Count(l => l.StartsWith("<answer>", StringComparison.Ordinal)));
        Assert.Contains("leg_counting/train/0/2", run.Out);
    }

    [Fact]
    public async Task Sample_json_lines_are_items_whose_answers_score_one()
    {
        var run = await CliRun.Of("tasks", "sample", "leg_counting", "--n", "4", "--split", "test", "--seed", "9", "--json");
        Assert.Equal(0, run.ExitCode);
        var items = Items(run);
        Assert.Equal(4, items.Count);
        var task = TaskRegistry.Default.Get("leg_counting");
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal($"leg_counting/test/9/{i}", items[i].Id);
            Assert.Equal(1.0, task.Score(items[i].Answer, items[i]));
            Assert.Equal(TaskItemJson.Serialize(task.Generate(task.DefaultConfig, Split.Test, 9, i)), run.Lines[i]);
        }
    }

    [Fact]
    public async Task Set_overrides_change_the_generated_items()
    {
        var run = await CliRun.Of("tasks", "sample", "leg_counting", "--n", "20", "--json", "--set", "min_animals=1", "--set", "max_animals=1");
        Assert.Equal(0, run.ExitCode);
        Assert.All(Items(run), i => Assert.Single(((LegCountingMetadata)i.Metadata).Counts));
    }

    [Fact]
    public async Task A_level_selects_the_preset_and_is_stamped_on_the_items()
    {
        var run = await CliRun.Of("tasks", "sample", "leg_counting", "--n", "10", "--json", "--level", "0");
        Assert.Equal(0, run.ExitCode);
        Assert.All(Items(run), i =>
        {
            Assert.Equal(0, i.Metadata.Level);
            Assert.InRange(((LegCountingMetadata)i.Metadata).Counts.Count, 1, 2);
        });
    }

    [Fact]
    public async Task The_task_file_in_the_config_directory_applies_before_set()
    {
        File.WriteAllText(Path.Combine(_dir, "leg_counting.json"), """{ "task": "leg_counting", "config": { "min_animals": 2, "max_animals": 2, "max_instances": 1 } }""");
        var run = await CliRun.Of("tasks", "sample", "leg_counting", "--n", "10", "--json", "--task-configs", _dir, "--set", "max_instances=2", "--set", "min_instances=2");
        Assert.Equal(0, run.ExitCode);
        Assert.All(Items(run), i =>
        {
            var counts = ((LegCountingMetadata)i.Metadata).Counts;
            Assert.Equal(2, counts.Count);
            Assert.All(counts, c => Assert.Equal(2, c.Count));
        });
    }

    [Theory]
    [InlineData("max_animals=lots", "--set: $.max_animals: expected an integer")]
    [InlineData("max_legs=3", "--set: $.max_legs: expected a leg_counting config field")]
    [InlineData("max_animals=99", "--set: $.max_animals: expected an integer in [1, 32]")]
    public async Task A_bad_set_exits_2_naming_the_key(string assignment, string message)
    {
        var run = await CliRun.Of("tasks", "sample", "leg_counting", "--set", assignment);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("tasks sample no_such_task")]
    [InlineData("tasks sample leg_counting --split holdout")]
    [InlineData("tasks sample leg_counting --level 4")]
    [InlineData("tasks sample leg_counting --n many")]
    [InlineData("tasks config no_such_task")]
    [InlineData("tasks frobnicate")]
    public async Task User_errors_exit_2_with_a_message_and_no_stack_trace(string commandLine)
    {
        var run = await CliRun.Of(commandLine.Split(' '));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public async Task Config_prints_a_task_file_that_reads_back_to_the_defaults()
    {
        var run = await CliRun.Of("tasks", "config", "leg_counting");
        Assert.Equal(0, run.ExitCode);
        var path = Path.Combine(_dir, "leg_counting.json");
        File.WriteAllText(path, run.Out);
        var file = TaskConfigFile.Load(path);
        var task = TaskRegistry.Default.Get("leg_counting");
        Assert.Equal(task.DefaultConfig, file.Config);
        Assert.Equal(task.Levels, file.Levels);
    }
}
