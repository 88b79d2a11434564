using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Tasks;

namespace HierReason.Cli.Commands;

/// <summary>
/// The options that pick a task's items for commands that sample from a model (<c>prm label</c>, <c>dpo pairs</c>): task,
/// level (its config from the task config file), config overrides, split, count and seed; the same values give the same
/// items in every command.
/// </summary>
public sealed class TaskItemOptions(string itemsDescription, int defaultCount = 200)
{
    public Option<string> Task { get; } = new("--task") { Description = "The task's registered name, e.g. chain_sum.", Required = true };
    public Option<string?> Config { get; } = new("--config") { Description = "Task config as a JSON object (fields over the level's config), e.g. '{\"max_terms\":3}'." };
    public Option<int?> Level { get; } = new("--level") { Description = "Difficulty level whose config to use (index into the task's levels)." };
    public Option<string> ConfigDirectory { get; } = new("--task-configs") { Description = "Folder of task config files (<task>.json) for --level.", DefaultValueFactory = _ => "tasks" };
    public Option<string> Split { get; } = new("--split") { Description = "train, validation or test.", DefaultValueFactory = _ => "train" };
    public Option<int> Count { get; } = new("--n-items") { Description = itemsDescription, DefaultValueFactory = _ => defaultCount };
    public Option<long> Seed { get; } = new("--seed") { Description = "Dataset and sampling seed.", DefaultValueFactory = _ => 0 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Task, Config, Level, ConfigDirectory, Split, Count, Seed }) command.Options.Add(option);
    }

    /// <summary>The task and its items; a bad value is a <see cref="HierReasonException"/> naming the option.</summary>
    public (IReasoningTask Task, TaskItem[] Items) Resolve(ParseResult parse, TaskRegistry registry)
    {
        var task = registry.Get(parse.GetValue(Task)!);
        var count = parse.GetValue(Count);
        if (count is < 1 or > TaskSetFile.MaxItems) throw new HierReasonException($"--n-items: expected an integer in [1, {TaskSetFile.MaxItems}]; found {count}");
        var level = parse.GetValue(Level);
        var baseConfig = TaskConfigFile.ForTask(task, TaskConfigsOption.Directory(parse, ConfigDirectory), registry).ConfigAt(level, "--level", "$");
        var config = task.ParseConfig(ConfigObject(parse.GetValue(Config)), "--config", "$", baseConfig);
        var items = TaskDataset.Create(task, Splits.Parse(parse.GetValue(Split)!), parse.GetValue(Seed), count, config, level).ToArray();
        return (task, items);
    }

    private static JsonObject? ConfigObject(string? text)
    {
        if (text is null) return null;
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new HierReasonException($"--config: $: expected a JSON object; found {text}");
        }
        catch (JsonException e)
        {
            throw new HierReasonException($"--config: not JSON ({e.Message})");
        }
    }
}
