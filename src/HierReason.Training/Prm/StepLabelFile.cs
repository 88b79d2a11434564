using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.IO;
using HierReason.Core.Json;

namespace HierReason.Training.Prm;

/// <summary>
/// The one reader and writer of step-label JSONL (<see cref="StepLabelRecord"/> per line). Writes replace the whole file
/// atomically; reads ignore a last line without its newline (a copy or a crash outside our writer cut it) and fail,
/// naming file and line, on any other line that is not a record.
/// </summary>
public static class StepLabelFile
{
    /// <summary>One line of the file: its text as written and the record it holds.</summary>
    public sealed record Line(string Text, StepLabelRecord Record, string? LabelKind);

    /// <summary>The complete lines of <paramref name="path"/>; none when it does not exist.</summary>
    public static IReadOnlyList<Line> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var text = File.ReadAllText(path);
        var parts = text.Split('\n');
        var lines = new List<Line>();
        // The last part follows the last newline: empty when the file ends cleanly, a cut line otherwise.
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var line = parts[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            var source = $"{path}, line {i + 1}";
            JsonObject json;
            try
            {
                json = JsonNode.Parse(line) as JsonObject ?? throw new TrainingException($"{source}: $: expected a JSON object");
            }
            catch (JsonException e)
            {
                throw new TrainingException($"{source}: not JSON ({e.Message})");
            }
            lines.Add(new Line(line, StepLabelRecord.FromJson(json, source), json["label_kind"]?.GetValueKind() == JsonValueKind.String ? (string?)json["label_kind"] : null));
        }
        return lines;
    }

    /// <summary>The records of <paramref name="path"/>.</summary>
    public static IReadOnlyList<StepLabelRecord> ReadRecords(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"{path}: no such step-label file");
        return Read(path).Select(l => l.Record).ToArray();
    }

    /// <summary>One JSON line of <paramref name="record"/> with <paramref name="kind"/> labels.</summary>
    public static string Format(StepLabelRecord record, LabelKind kind) => record.ToJson(kind).ToJsonString(HierJson.Options);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="lines"/>, one per line, atomically.</summary>
    public static void Write(string path, IEnumerable<string> lines) => AtomicFile.Write(path, w =>
    {
        foreach (var line in lines)
        {
            w.Write(line);
            w.Write('\n');
        }
    });
}
