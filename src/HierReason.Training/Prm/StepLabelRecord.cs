using System.Globalization;
using System.Text.Json.Nodes;
using HierReason.Core.Steps;

namespace HierReason.Training.Prm;

/// <summary>
/// One labelled trajectory: a sampled solution's steps (lines) up to its last state, and per step the outcomes of the K
/// rollouts from the state after it (null for a step that was not a state), the oracle's verdict (when the task has a
/// step checker) and whether the whole solution's answer was correct. Labels are derived from the outcomes, so one run
/// yields hard, soft and count labels and every smaller K (the first k rollouts).
/// </summary>
/// <param name="ItemRecords">How many records the item wrote in all; an item is finished in a file only when all are there (resume).</param>
/// <param name="Outcomes">Per step: one character per rollout, '1' success, '0' failure; null when the step was not a state.</param>
public sealed record StepLabelRecord(
    string ItemId,
    string Task,
    int Sample,
    int ItemRecords,
    string Prompt,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string?> Outcomes,
    IReadOnlyList<StepVerdict>? Oracle,
    bool FinalCorrect)
{
    /// <summary>Rollouts per state (every state of a record has the same number).</summary>
    public int K => Outcomes.FirstOrDefault(o => o is not null)?.Length ?? 0;

    /// <summary>Successes among the first <paramref name="k"/> rollouts of step <paramref name="step"/>'s state; null when it was not one.</summary>
    public int? Successes(int step, int k) => Outcomes[step] is { } o ? o.AsSpan(0, Math.Min(k, o.Length)).Count('1') : null;

    /// <summary>
    /// The record in TRL's stepwise-supervision format plus our fields. A step that was not a state takes the label of the
    /// next state (the trajectory is cut after its last state, so there always is one); <c>labelled</c> says which labels
    /// were estimated, and quality metrics read only those.
    /// </summary>
    public JsonObject ToJson(LabelKind kind)
    {
        var labels = new JsonArray();
        var values = new JsonArray();
        var labelled = new JsonArray();
        for (var i = 0; i < Steps.Count; i++)
        {
            var next = Enumerable.Range(i, Steps.Count - i).First(j => Outcomes[j] is not null);
            var c = Successes(next, K)!.Value;
            labels.Add(kind switch
            {
                LabelKind.Hard => (JsonNode)(c > 0),
                LabelKind.Soft => (JsonNode)((double)c / K),
                _ => (JsonNode)c,
            });
            values.Add(Outcomes[i] is null ? null : (JsonNode)((double)c / K));
            labelled.Add(Outcomes[i] is not null);
        }
        var json = new JsonObject
        {
            ["prompt"] = Prompt,
            ["completions"] = new JsonArray(Steps.Select(s => (JsonNode?)s).ToArray()),
            ["labels"] = labels,
            ["item_id"] = ItemId,
            ["task"] = Task,
            ["sample"] = Sample,
            ["item_records"] = ItemRecords,
            ["label_kind"] = LabelKinds.Name(kind),
            ["k"] = K,
            ["labelled"] = labelled,
            ["values"] = values,
            ["outcomes"] = new JsonArray(Outcomes.Select(o => (JsonNode?)o).ToArray()),
            ["final_correct"] = FinalCorrect,
        };
        if (Oracle is not null) json["oracle"] = new JsonArray(Oracle.Select(v => (JsonNode?)VerdictName(v)).ToArray());
        return json;
    }

    /// <summary>Reads a record written by <see cref="ToJson"/>; <paramref name="source"/> ("file, line n") names it in errors.</summary>
    public static StepLabelRecord FromJson(JsonObject json, string source)
    {
        var steps = Strings(json, "completions", source, nullable: false).Select(s => s!).ToArray();
        var outcomes = Strings(json, "outcomes", source, nullable: true);
        if (outcomes.Length != steps.Length)
            throw Bad(source, "$.outcomes", $"one entry per step ({steps.Length})", $"{outcomes.Length}");
        if (steps.Length > 0 && outcomes[^1] is null)
            throw Bad(source, "$.outcomes", "the last step to be a state", "null");
        var k = outcomes.FirstOrDefault(o => o is not null)?.Length ?? 0;
        for (var i = 0; i < outcomes.Length; i++)
            if (outcomes[i] is { } o && (o.Length != k || o.Any(ch => ch is not ('0' or '1'))))
                throw Bad(source, $"$.outcomes[{i}]", $"{k} characters of 0 and 1", $"'{o}'");
        StepVerdict[]? oracle = null;
        if (json["oracle"] is not null)
        {
            var names = Strings(json, "oracle", source, nullable: false);
            if (names.Length != steps.Length) throw Bad(source, "$.oracle", $"one verdict per step ({steps.Length})", $"{names.Length}");
            oracle = names.Select((n, i) => ParseVerdict(n!, source, $"$.oracle[{i}]")).ToArray();
        }
        return new StepLabelRecord(
            Required<string>(json, "item_id", source),
            Required<string>(json, "task", source),
            Required<int>(json, "sample", source),
            Required<int>(json, "item_records", source),
            Required<string>(json, "prompt", source),
            steps, outcomes, oracle,
            Required<bool>(json, "final_correct", source));
    }

    private static string VerdictName(StepVerdict v) => v switch
    {
        StepVerdict.Correct => "correct",
        StepVerdict.Incorrect => "incorrect",
        _ => "neutral",
    };

    private static StepVerdict ParseVerdict(string name, string source, string path) => name switch
    {
        "correct" => StepVerdict.Correct,
        "incorrect" => StepVerdict.Incorrect,
        "neutral" => StepVerdict.Neutral,
        _ => throw Bad(source, path, "correct, incorrect or neutral", $"'{name}'"),
    };

    private static T Required<T>(JsonObject json, string key, string source)
    {
        try
        {
            if (json[key] is JsonValue v && v.TryGetValue<T>(out var value)) return value;
        }
        catch (InvalidOperationException) { }
        throw Bad(source, "$." + key, typeof(T) == typeof(string) ? "a string" : typeof(T) == typeof(bool) ? "true or false" : "an integer",
            json[key]?.ToJsonString() ?? "nothing");
    }

    private static string?[] Strings(JsonObject json, string key, string source, bool nullable)
    {
        if (json[key] is not JsonArray array) throw Bad(source, "$." + key, "an array", json[key]?.ToJsonString() ?? "nothing");
        var result = new string?[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is null && nullable) continue;
            if (array[i] is JsonValue v && v.TryGetValue<string>(out var s)) result[i] = s;
            else throw Bad(source, $"$.{key}[{i}]", nullable ? "a string or null" : "a string", array[i]?.ToJsonString() ?? "null");
        }
        return result;
    }

    private static TrainingException Bad(string source, string path, string expected, string found)
        => new(string.Create(CultureInfo.InvariantCulture, $"{source}: {path}: expected {expected}; found {found}"));
}
