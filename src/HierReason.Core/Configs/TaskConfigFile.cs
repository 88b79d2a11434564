using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Configs;

/// <summary>
/// A task's defaults file, <c>tasks/&lt;task&gt;.json</c>: the generator config (overrides of the code
/// defaults), optional difficulty levels (each overlaid on that config; they replace the code's
/// presets), reward weights and the prompt style.
/// </summary>
public sealed record TaskConfigFile(
    string? Path,
    IReasoningTask Task,
    TaskConfig Config,
    IReadOnlyList<TaskConfig> Levels,
    IReadOnlyDictionary<string, double> Rewards,
    string Prompt)
{
    /// <summary>The prompt styles a file may name.</summary>
    public static readonly IReadOnlyList<string> PromptStyles = ["universal"];

    /// <summary>The rewards a file may weight; a new reward adds its name here.</summary>
    public static readonly IReadOnlyList<string> RewardNames = ["correctness", "format", "brevity", "overlong", "trace", "consistent_correctness",
        "worker_efficiency", "independence", "coverage", "plan_parse", "search_cost", "search_r1_format", "thought_length", "thought_steps"];

    /// <summary>The keys of a task file's top level (besides <c>$schema</c>); schemas/task.schema.json declares the same (a test checks).</summary>
    public static readonly string[] Fields = ["task", "config", "levels", "rewards", "prompt"];

    /// <summary>The code's defaults, as if the task had no file.</summary>
    public static TaskConfigFile Defaults(IReasoningTask task) => new(
        null, task, task.DefaultConfig, task.Levels, DefaultRewards(), "universal");

    /// <summary>Rewards when a file names none: the verifier's score alone.</summary>
    public static IReadOnlyDictionary<string, double> DefaultRewards() => new Dictionary<string, double> { ["correctness"] = 1.0 };

    /// <summary>
    /// The task's file in <paramref name="directory"/> when there is one, else the code's defaults. Something there that is
    /// not a regular file (a folder, a FIFO) is an error, never a silent fall-back to the defaults.
    /// </summary>
    public static TaskConfigFile ForTask(IReasoningTask task, string? directory, TaskRegistry? registry = null)
    {
        if (directory is null) return Defaults(task);
        var path = System.IO.Path.Combine(directory, task.Name + ".json");
        return FileEntries.KindOf(path) == FileEntryKind.Missing ? Defaults(task) : Load(path, registry);
    }

    /// <summary>
    /// Checks a folder of task files the user named (<paramref name="option"/>, e.g. <c>--task-configs</c>): it must exist
    /// and be a folder, since a typo would otherwise drop every custom level without a word.
    /// </summary>
    public static void RequireDirectory(string directory, string option)
    {
        var kind = FileEntries.KindOf(directory);
        if (kind == FileEntryKind.Directory) return;
        throw new HierReasonException(kind == FileEntryKind.Missing
            ? $"{option}: {directory}: no such folder (a folder of <task>.json files was expected)"
            : $"{option}: {directory}: expected a folder of <task>.json files; found a file");
    }

    public static TaskConfigFile Load(string path, TaskRegistry? registry = null)
    {
        if (FileEntries.KindOf(path) == FileEntryKind.Missing) throw new HierReasonException($"{path}: no such task config file");
        return Parse(ConfigJson.ReadFile(path), path, registry);
    }

    /// <summary>Reads a file's text; <paramref name="file"/> names it in errors and must be <c>&lt;task&gt;.json</c>.</summary>
    public static TaskConfigFile Parse(string json, string file, TaskRegistry? registry = null)
    {
        registry ??= TaskRegistry.Default;
        var root = ConfigJson.ParseObject(json, file);
        ConfigJson.RejectUnknown(root, file, "$", Fields);

        if (!root.TryGetPropertyValue("task", out var taskNode))
            throw new ConfigException(file, "$.task", "the task's name (a required field)", "nothing");
        var name = ConfigJson.String(taskNode, file, "$.task");
        var task = registry.TryGet(name)
                   ?? throw new ConfigException(file, "$.task", $"a registered task (one of: {string.Join(", ", registry.Names)})", $"'{name}'");
        var stem = System.IO.Path.GetFileNameWithoutExtension(file);
        if (stem != name)
            throw new ConfigException(file, "$.task", $"'{stem}', the name of the file", $"'{name}'");

        var config = task.ParseConfig(ConfigJson.OptionalObject(root, "config", file, "$"), file, "$.config");
        var levels = ParseLevels(root, task, config, file);
        var rewards = ParseRewards(root, file);
        var prompt = ParsePrompt(root, file);
        return new TaskConfigFile(file, task, config, levels, rewards, prompt);
    }

    /// <summary>The config to generate with: the file's config, or its level <paramref name="level"/>.</summary>
    public TaskConfig ConfigAt(int? level, string? source = null, string path = "$.level")
    {
        if (level is not int l) return Config;
        if (l < 0 || l >= Levels.Count)
            throw new ConfigException(source ?? Path, path, $"a {Task.Name} level in [0, {Levels.Count - 1}]", l.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Levels[l];
    }

    /// <summary>The file's content as JSON, in the format <see cref="Parse"/> reads (configs written in full).</summary>
    public JsonObject ToJson()
    {
        var levels = new JsonArray();
        foreach (var level in Levels) levels.Add(ConfigNode(level));
        var rewards = new JsonObject();
        foreach (var (name, weight) in Rewards) rewards[name] = weight;
        return new JsonObject
        {
            ["task"] = Task.Name,
            ["config"] = ConfigNode(Config),
            ["levels"] = levels,
            ["rewards"] = rewards,
            ["prompt"] = Prompt,
        };
    }

    private static JsonNode ConfigNode(TaskConfig config)
        => JsonSerializer.SerializeToNode(config, config.GetType(), HierJson.Options)!;

    private static IReadOnlyList<TaskConfig> ParseLevels(JsonObject root, IReasoningTask task, TaskConfig config, string file)
    {
        var array = ConfigJson.OptionalArray(root, "levels", file, "$");
        if (array is null) return task.Levels;
        if (array.Count == 0) throw new ConfigException(file, "$.levels", "a non-empty list of level objects", "[]");
        var levels = new TaskConfig[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"$.levels[{i}]";
            var overrides = array[i] as JsonObject ?? throw new ConfigException(file, path, "an object of config overrides", ConfigJson.Found(array[i]));
            levels[i] = task.ParseConfig(overrides, file, path, config);
        }
        return levels;
    }

    private static IReadOnlyDictionary<string, double> ParseRewards(JsonObject root, string file)
    {
        var obj = ConfigJson.OptionalObject(root, "rewards", file, "$");
        if (obj is null) return DefaultRewards();
        var rewards = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, node) in obj)
        {
            var path = $"$.rewards.{name}";
            if (!RewardNames.Contains(name))
                throw new ConfigException(file, path, $"a reward name (one of: {string.Join(", ", RewardNames)})", $"'{name}'");
            var weight = ConfigJson.Number(node, file, path);
            if (weight < 0) throw new ConfigException(file, path, "a non-negative weight", ConfigJson.Found(node));
            rewards[name] = weight;
        }
        if (rewards.Count == 0 || rewards.Values.All(w => w == 0))
            throw new ConfigException(file, "$.rewards", "at least one positive weight", ConfigJson.Found(obj));
        return rewards;
    }

    private static string ParsePrompt(JsonObject root, string file)
    {
        if (!root.TryGetPropertyValue("prompt", out var node)) return "universal";
        var prompt = ConfigJson.String(node, file, "$.prompt");
        if (!PromptStyles.Contains(prompt))
            throw new ConfigException(file, "$.prompt", $"a prompt style (one of: {string.Join(", ", PromptStyles)})", $"'{prompt}'");
        return prompt;
    }
}
