using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Training.Prm;

/// <summary>Reads TRL stepwise-supervision JSONL (<c>{"prompt", "completions": [...], "labels": [...]}</c>); other fields are ignored.</summary>
public static class StepwiseData
{
    /// <summary>
    /// Every non-blank line of <paramref name="path"/>; <paramref name="requireLabels"/> makes a line without labels an error.
    /// With <paramref name="outcomeLabels"/> every step is labelled with the line's <c>final_correct</c> (written by
    /// <c>prm label</c>) instead of its own label: an outcome reward model's data, from the same trajectories.
    /// </summary>
    public static IReadOnlyList<StepwiseExample> Read(string path, bool requireLabels, bool outcomeLabels = false)
    {
        if (!File.Exists(path)) throw new TrainingException($"{path}: data file not found");
        var examples = new List<StepwiseExample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            examples.Add(outcomeLabels ? ParseOutcome(line, $"{path}:{lineNumber}") : Parse(line, $"{path}:{lineNumber}", requireLabels));
        }
        if (examples.Count == 0) throw new TrainingException($"{path}: no examples (expected JSONL lines of {{\"prompt\", \"completions\", \"labels\"}})");
        return examples;
    }

    /// <summary>Parses one line; <paramref name="where"/> (file:line) prefixes every error.</summary>
    public static StepwiseExample Parse(string line, string where, bool requireLabels)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(line); }
        catch (JsonException e) { throw new TrainingException($"{where}: not valid JSON ({e.Message})", e); }
        if (root is not JsonObject json) throw new TrainingException($"{where}: expected a JSON object");
        var prompt = json["prompt"] is JsonValue p && p.TryGetValue<string>(out var text) ? text
            : throw new TrainingException($"{where}: $.prompt: expected a string");
        if (json["completions"] is not JsonArray completions) throw new TrainingException($"{where}: $.completions: expected an array of step strings");
        var steps = completions.Select((c, i) => c is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new TrainingException($"{where}: $.completions[{i}]: expected a string")).ToList();
        if (json["labels"] is not JsonArray labelArray)
        {
            if (requireLabels) throw new TrainingException($"{where}: $.labels: expected one label per step (bool, or a number in [0, 1])");
            return new StepwiseExample(prompt, steps, null);
        }
        if (labelArray.Count != steps.Count)
            throw new TrainingException($"{where}: $.labels: {labelArray.Count} labels for {steps.Count} completions; expected one per step");
        var labels = labelArray.Select((l, i) => Label(l, $"{where}: $.labels[{i}]")).ToList();
        return new StepwiseExample(prompt, steps, labels);
    }

    /// <summary>One line with every step labelled by its <c>final_correct</c> (the whole solution's verdict).</summary>
    public static StepwiseExample ParseOutcome(string line, string where)
    {
        var example = Parse(line, where, requireLabels: false);
        var json = JsonNode.Parse(line)!.AsObject();
        var correct = json["final_correct"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b
            : throw new TrainingException($"{where}: $.final_correct: expected true or false (outcome labels come from 'hierreason prm label' files)");
        return example with { Labels = Enumerable.Repeat(correct ? 1.0 : 0.0, example.Steps.Count).ToArray() };
    }

    /// <summary>The lines of several files, in order (see <see cref="Read(string, bool, bool)"/>).</summary>
    public static IReadOnlyList<StepwiseExample> Read(IReadOnlyList<string> paths, bool requireLabels, bool outcomeLabels = false)
    {
        if (paths.Count == 0) throw new TrainingException("no data file given");
        return paths.SelectMany(p => Read(p, requireLabels, outcomeLabels)).ToArray();
    }

    private static double Label(JsonNode? node, string where)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b ? 1.0 : 0.0;
            if (v.TryGetValue<double>(out var d) && double.IsFinite(d) && d >= 0) return d;
        }
        throw new TrainingException($"{where}: expected true/false, a soft label in [0, 1] or a class id; found {node?.ToJsonString() ?? "null"}");
    }

    internal static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
