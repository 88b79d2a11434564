using System.Text.Json.Nodes;
using HierReason.Core.IO;
using HierReason.Core.Tasks;

namespace HierReason.Core.Configs;

/// <summary>
/// Reads <c>tasks.json</c>, the benchmark set: <c>{ "tasks": [ { task, n, split, seeds, config, level } ], "defaults": { n, split, seeds } }</c>.
/// Entry values override the defaults; each entry's config overlays the task's
/// <c>tasks/&lt;task&gt;.json</c> (when the config directory has one) at the entry's level.
/// </summary>
public static class TaskSetFile
{
    public const int MaxItems = 1_000_000;

    /// <summary>The keys of the top level (besides <c>$schema</c>); schemas/taskset.schema.json declares the same (a test checks).</summary>
    public static readonly string[] RootFields = ["tasks", "defaults"];

    /// <summary>The keys of <c>defaults</c>.</summary>
    public static readonly string[] DefaultFields = ["n", "split", "seeds"];

    /// <summary>The keys of a <c>tasks</c> entry.</summary>
    public static readonly string[] EntryFields = ["task", "n", "split", "seeds", "config", "level"];

    private sealed record Defaults(int N, Split Split, IReadOnlyList<long> Seeds);

    /// <summary>Loads <paramref name="path"/>; task files come from <paramref name="configDirectory"/> (default: <c>tasks/</c> beside it).</summary>
    public static TaskSet Load(string path, string? configDirectory = null, TaskRegistry? registry = null)
    {
        if (FileEntries.KindOf(path) == FileEntryKind.Missing) throw new HierReasonException($"{path}: no such task set file");
        configDirectory ??= System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".", "tasks");
        return Parse(ConfigJson.ReadFile(path), path, configDirectory, registry);
    }

    /// <summary>Reads a task set's text; <paramref name="file"/> names it in errors.</summary>
    public static TaskSet Parse(string json, string file, string? configDirectory = null, TaskRegistry? registry = null)
    {
        registry ??= TaskRegistry.Default;
        var root = ConfigJson.ParseObject(json, file);
        ConfigJson.RejectUnknown(root, file, "$", RootFields);

        var defaults = new Defaults(100, Split.Test, [0]);
        var defaultsObj = ConfigJson.OptionalObject(root, "defaults", file, "$");
        if (defaultsObj is not null)
        {
            ConfigJson.RejectUnknown(defaultsObj, file, "$.defaults", DefaultFields);
            defaults = ReadOverrides(defaultsObj, defaults, file, "$.defaults");
        }

        if (!root.ContainsKey("tasks")) throw new ConfigException(file, "$.tasks", "a non-empty list of task entries (a required field)", "nothing");
        var tasks = ConfigJson.OptionalArray(root, "tasks", file, "$")!;
        if (tasks.Count == 0) throw new ConfigException(file, "$.tasks", "a non-empty list of task entries", "[]");

        var entries = new TaskSetEntry[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
            entries[i] = ReadEntry(tasks[i], defaults, file, $"$.tasks[{i}]", configDirectory, registry);
        return new TaskSet(file, entries);
    }

    private static TaskSetEntry ReadEntry(JsonNode? node, Defaults defaults, string file, string path, string? configDirectory, TaskRegistry registry)
    {
        var obj = node as JsonObject ?? throw new ConfigException(file, path, "a task entry object { task, n, split, seeds, config, level }", ConfigJson.Found(node));
        ConfigJson.RejectUnknown(obj, file, path, EntryFields);
        if (!obj.TryGetPropertyValue("task", out var taskNode))
            throw new ConfigException(file, $"{path}.task", "the task's name (a required field)", "nothing");
        var name = ConfigJson.String(taskNode, file, $"{path}.task");
        var task = registry.TryGet(name)
                   ?? throw new ConfigException(file, $"{path}.task", $"a registered task (one of: {string.Join(", ", registry.Names)})", $"'{name}'");

        var values = ReadOverrides(obj, defaults, file, path);
        int? level = obj.TryGetPropertyValue("level", out var levelNode)
            ? (int)ConfigJson.Integer(levelNode, file, $"{path}.level", 0, int.MaxValue)
            : null;

        var taskFile = TaskConfigFile.ForTask(task, configDirectory, registry);
        var baseConfig = taskFile.ConfigAt(level, file, $"{path}.level");
        var config = task.ParseConfig(ConfigJson.OptionalObject(obj, "config", file, path), file, $"{path}.config", baseConfig);
        return new TaskSetEntry(task, config, values.Split, values.N, values.Seeds, level);
    }

    private static Defaults ReadOverrides(JsonObject obj, Defaults inherited, string file, string path)
    {
        var n = inherited.N;
        var split = inherited.Split;
        var seeds = inherited.Seeds;
        if (obj.TryGetPropertyValue("n", out var nNode))
            n = (int)ConfigJson.Integer(nNode, file, $"{path}.n", 1, MaxItems);
        if (obj.TryGetPropertyValue("split", out var splitNode))
        {
            var text = ConfigJson.String(splitNode, file, $"{path}.split");
            if (!Splits.TryParse(text, out split))
                throw new ConfigException(file, $"{path}.split", "one of train, validation, test", $"'{text}'");
        }
        if (obj.TryGetPropertyValue("seeds", out var seedsNode))
            seeds = ReadSeeds(seedsNode, file, $"{path}.seeds");
        return new Defaults(n, split, seeds);
    }

    private static long[] ReadSeeds(JsonNode? node, string file, string path)
    {
        var array = node as JsonArray ?? throw new ConfigException(file, path, "a non-empty list of integer seeds", ConfigJson.Found(node));
        if (array.Count == 0) throw new ConfigException(file, path, "a non-empty list of integer seeds", "[]");
        var seeds = new long[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            seeds[i] = ConfigJson.Integer(array[i], file, $"{path}[{i}]", long.MinValue, long.MaxValue, "an integer seed");
            if (Array.IndexOf(seeds, seeds[i], 0, i) >= 0)
                throw new ConfigException(file, $"{path}[{i}]", "distinct seeds", $"a repeat of {seeds[i]}");
        }
        return seeds;
    }
}
