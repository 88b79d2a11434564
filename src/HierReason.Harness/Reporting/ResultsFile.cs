using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>A results file read from disk: either one task's results or the all-tasks summary.</summary>
public abstract record ResultsFile(string Path)
{
    /// <summary><c>results_&lt;task&gt;_&lt;ts&gt;.json</c>.</summary>
    public sealed record SingleTask(string Path, TaskResults Results) : ResultsFile(Path);

    /// <summary><c>results_all_tasks_&lt;ts&gt;.json</c>.</summary>
    public sealed record AllTasks(string Path, BenchmarkSummary Summary) : ResultsFile(Path);

    /// <summary>
    /// Reads a results file, telling the two shapes apart by their fields (<c>task</c> for one task;
    /// <c>tasks</c>, <c>models</c> and <c>averages</c> for the summary) and checking <c>schema_version</c> and the values.
    /// </summary>
    /// <exception cref="ConfigException">The file is missing, not JSON, of another shape or version, or holds impossible values.</exception>
    public static ResultsFile Load(string path)
    {
        var root = ReadObject(path, "a results file (results_<task>_<ts>.json or results_all_tasks_<ts>.json)");
        if (root.ContainsKey("averages") || root.ContainsKey("tasks"))
            return new AllTasks(path, ReadSummary(path, root));
        if (root.ContainsKey("task"))
            return new SingleTask(path, ReadTask(path, root));
        throw new ConfigException(path, "$",
            "a single-task results object (with 'task' and 'rows') or an all-tasks summary (with 'tasks', 'models', 'rows' and 'averages')",
            "an object with fields: " + (root.Count == 0 ? "(none)" : string.Join(", ", root.Select(p => p.Key))));
    }

    /// <summary>Reads an all-tasks summary; a single-task file is an error naming what was expected.</summary>
    public static BenchmarkSummary LoadSummary(string path) => Load(path) switch
    {
        AllTasks all => all.Summary,
        _ => throw new ConfigException(path, "$", "an all-tasks summary (results_all_tasks_<ts>.json)", "a single-task results file"),
    };

    /// <summary>
    /// A results_all_tasks file as given, or, for a results folder, its newest <c>results_all_tasks_&lt;ts&gt;.json</c>
    /// (the UTC timestamps in the names sort in time order).
    /// </summary>
    /// <exception cref="HierReasonException">A folder without any results_all_tasks file.</exception>
    public static string ResolveSummaryPath(string pathOrFolder)
    {
        if (!Directory.Exists(pathOrFolder)) return pathOrFolder;
        var newest = Directory.GetFiles(pathOrFolder, "results_all_tasks_*.json")
            .OrderByDescending(f => System.IO.Path.GetFileName(f), StringComparer.Ordinal)
            .FirstOrDefault();
        return newest ?? throw new HierReasonException(
            $"{pathOrFolder}: no results_all_tasks_<ts>.json in this folder (run 'hierreason bench' or 'hierreason collect' first)");
    }

    internal static JsonObject ReadObject(string path, string expected)
    {
        if (Core.IO.FileEntries.KindOf(path) == Core.IO.FileEntryKind.Missing) throw new ConfigException(path, "$", expected, "no such file");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(Core.IO.ConfigFileText.Read(path), documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            throw new ConfigException(path, e.Path ?? "$", "valid JSON", $"a syntax error at line {(e.LineNumber ?? 0) + 1}: {FirstSentence(e.Message)}");
        }
        return node as JsonObject ?? throw new ConfigException(path, "$", expected, Describe(node));
    }

    internal static void CheckSchema(string path, JsonObject root, int current)
    {
        var name = HierJson.Name(nameof(BenchmarkSummary.SchemaVersion));
        if (!root.TryGetPropertyValue(name, out var v) || v is null)
            throw new ConfigException(path, "$." + name, $"the schema version ({current})", "no such field");
        if (v is not JsonValue value || !value.TryGetValue<int>(out var version))
            throw new ConfigException(path, "$." + name, $"the schema version ({current})", Describe(v));
        if (version != current)
            throw new ConfigException(path, "$." + name, $"schema version {current} (this build reads only that one)", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static T Deserialize<T>(string path, JsonObject root, string expected)
    {
        try
        {
            return root.Deserialize<T>(HierJson.Options) ?? throw new ConfigException(path, "$", expected, "null");
        }
        catch (JsonException e)
        {
            throw new ConfigException(path, e.Path ?? "$", expected, FirstSentence(e.Message));
        }
    }

    private static BenchmarkSummary ReadSummary(string path, JsonObject root)
    {
        CheckSchema(path, root, BenchmarkSummary.CurrentSchema);
        var summary = Deserialize<BenchmarkSummary>(path, root, "an all-tasks summary (BenchmarkSummary)");
        RequireList(path, "$.tasks", summary.Tasks);
        RequireList(path, "$.models", summary.Models);
        RequireList(path, "$.rows", summary.Rows);
        RequireList(path, "$.averages", summary.Averages);
        CheckRows(path, summary.Rows);
        for (var i = 0; i < summary.Averages.Count; i++)
        {
            var a = summary.Averages[i];
            var at = $"$.averages[{i}]";
            if (a is null) throw new ConfigException(path, at, "a model average object", "null");
            RequireName(path, at + ".model", a.Model);
            CheckFraction(path, at + ".accuracy", a.Accuracy);
            CheckStdErr(path, at + ".std_err", a.StdErr);
        }
        return summary;
    }

    private static TaskResults ReadTask(string path, JsonObject root)
    {
        CheckSchema(path, root, BenchmarkSummary.CurrentSchema);
        var results = Deserialize<TaskResults>(path, root, "a single-task results object (TaskResults)");
        RequireName(path, "$.task", results.Task);
        RequireList(path, "$.rows", results.Rows);
        CheckRows(path, results.Rows);
        for (var i = 0; i < results.Rows.Count; i++)
            if (results.Rows[i].Task != results.Task)
                throw new ConfigException(path, $"$.rows[{i}].task", $"'{results.Task}' (the file's task)", $"'{results.Rows[i].Task}'");
        return results;
    }

    private static void CheckRows(string path, IReadOnlyList<ScoreRow> rows)
    {
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var at = $"$.rows[{i}]";
            if (r is null) throw new ConfigException(path, at, "a score row object", "null");
            RequireName(path, at + ".task", r.Task);
            RequireName(path, at + ".model", r.Model);
            RequireName(path, at + ".strategy", r.Strategy);
            CheckFraction(path, at + ".accuracy", r.Accuracy);
            CheckStdErr(path, at + ".std_err", r.StdErr);
            if (r.N < 0) throw new ConfigException(path, at + ".n", "a sample count ≥ 0", r.N.ToString(System.Globalization.CultureInfo.InvariantCulture));
            CheckOptional(path, at, r);
            if (!seen.Add((r.Cell, r.Model)))
                throw new ConfigException(path, at, "one row per task × model", $"a second row for task '{r.Cell}', model '{r.Model}'");
        }
    }

    // Fields newer files carry and older ones lack: absent is fine, present must make sense.
    private static void CheckOptional(string path, string at, ScoreRow r)
    {
        foreach (var (name, value) in new[] { ("pass_at_k", r.PassAtK), ("maj_at_k", r.MajAtK), ("sample_accuracy", r.SampleAccuracy),
                     ("top_answer_share", r.TopAnswerShare), ("constant_answer_accuracy", r.ConstantAnswerAccuracy) })
            if (value is { } v && (!double.IsFinite(v) || v < 0 || v > 1))
                throw new ConfigException(path, $"{at}.{name}", "a fraction in [0, 1]", v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (j, value) in r.PassAt ?? [])
        {
            if (j < 1 || (r.SamplesPerItem is { } k && j > k))
                throw new ConfigException(path, $"{at}.pass_at", $"keys k in [1, samples_per_item]", j.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!double.IsFinite(value) || value < 0 || value > 1)
                throw new ConfigException(path, $"{at}.pass_at.{j}", "a fraction in [0, 1]", value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var (name, value, min) in new[] { ("samples_per_item", r.SamplesPerItem, 1), ("distinct_answers", r.DistinctAnswers, 0), ("gold_distinct_answers", r.GoldDistinctAnswers, 0) })
            if (value is { } v && v < min)
                throw new ConfigException(path, $"{at}.{name}", $"a count ≥ {min}", v.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static void RequireList<T>(string path, string at, IReadOnlyList<T>? list)
    {
        if (list is null) throw new ConfigException(path, at, "an array", "null or no such field");
    }

    internal static void RequireName(string path, string at, string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ConfigException(path, at, "a non-empty name", name is null ? "null or no such field" : "an empty string");
    }

    internal static void CheckFraction(string path, string at, double value)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
            throw new ConfigException(path, at, "an accuracy fraction in [0, 1]", value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static void CheckStdErr(string path, string at, double value)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ConfigException(path, at, "a standard error ≥ 0", value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{v}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
