using System.Text.Json;
using HierReason.Core;
using HierReason.Core.Answers;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Cli.Commands;

/// <summary>
/// Scores a JSONL file of <c>{"item": …, "answer": "…"}</c> or <c>{"item": …, "completion": "…"}</c> lines;
/// a line it cannot read is an error naming the file, the line number and what was expected.
/// </summary>
public static class CompletionScoring
{
    private const string LineShape = "a JSON object {\"item\": <item>, \"answer\" or \"completion\": \"<text>\"}";

    public static IEnumerable<ScoredLine> Score(string path, TaskRegistry registry)
    {
        if (!File.Exists(path)) throw new HierReasonException($"{path}: no such input file");
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return ScoreLine(text, $"{path}, line {number}", number, registry);
        }
    }

    private static ScoredLine ScoreLine(string text, string source, int number, TaskRegistry registry)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, "$", LineShape, $"invalid JSON at position {(e.BytePositionInLine ?? 0) + 1}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ConfigException(source, "$", LineShape, root.ValueKind.ToString().ToLowerInvariant());
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("item" or "answer" or "completion"))
                    throw new ConfigException(source, "$." + p.Name, "only the fields item and answer or completion", $"unknown field '{p.Name}'");
            if (!root.TryGetProperty("item", out var itemElement))
                throw new ConfigException(source, "$.item", "the item as 'tasks sample --json' prints it (a required field)", "nothing");
            var item = TaskItemJson.Deserialize(itemElement, registry, source, "$.item");
            var task = registry.Get(item.Task);

            var hasAnswer = root.TryGetProperty("answer", out var answerElement);
            var hasCompletion = root.TryGetProperty("completion", out var completionElement);
            if (hasAnswer == hasCompletion)
                throw new ConfigException(source, "$", "exactly one of \"answer\" and \"completion\"", hasAnswer ? "both" : "neither");
            var (field, element) = hasAnswer ? ("answer", answerElement) : ("completion", completionElement);
            if (element.ValueKind != JsonValueKind.String)
                throw new ConfigException(source, "$." + field, "a string", element.ValueKind.ToString().ToLowerInvariant());
            var value = element.GetString()!;

            string? extracted;
            bool formatOk;
            if (hasAnswer)
            {
                extracted = value;
                formatOk = !string.IsNullOrWhiteSpace(value);
            }
            else
            {
                extracted = AnswerExtractor.Extract(value);
                formatOk = AnswerExtractor.IsWellFormed(value);
            }
            return new ScoredLine(number, item.Id, task.Score(extracted, item), extracted, formatOk);
        }
    }
}
