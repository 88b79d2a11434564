using System.Text.Json;

namespace HierReason.Reasoning.Strategies.PlannerWorker;

/// <summary>
/// Reads a <see cref="Plan"/> from whatever the planner wrote around it: text before and after, code fences, nested
/// objects. One pass counts brace depth (braces inside JSON strings, escapes included, do not count; quotes in prose
/// outside any object are ignored) and notes every complete object that has a <c>"should_decompose"</c> key of its own;
/// the objects of the first top-level block holding one are tried outermost first, and the first that is valid JSON with
/// the right field types wins. At most <see cref="MaxAttempts"/> objects are parsed, so the work is linear in the text
/// (1 MB included). An object that never closes (truncated JSON) is not a plan.
/// </summary>
public static class PlanParser
{
    public const string Key = "should_decompose";

    /// <summary>Objects parsed as JSON at most, whatever the text.</summary>
    public const int MaxAttempts = 16;

    private static readonly JsonDocumentOptions Tolerant = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The plan in <paramref name="text"/>, or null when there is none.</summary>
    public static Plan? Parse(string text)
    {
        var open = new List<(int Start, bool HasKey)>();
        var candidates = new List<(int Start, int End)>();
        var attempts = 0;
        var inString = false;
        var stringStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"')
                {
                    inString = false;
                    if (IsKey(text, stringStart, i)) open[^1] = (open[^1].Start, true);
                }
                continue;
            }
            if (c == '"' && open.Count > 0)
            {
                inString = true;
                stringStart = i + 1;
            }
            else if (c == '{') open.Add((i, false));
            else if (c == '}' && open.Count > 0)
            {
                var (start, hasKey) = open[^1];
                open.RemoveAt(open.Count - 1);
                if (hasKey) candidates.Add((start, i));
                if (open.Count > 0 || candidates.Count == 0) continue;
                // A top-level block closed with candidates inside: outermost (earliest opened) first.
                foreach (var (s, e) in candidates.OrderBy(x => x.Start))
                {
                    if (++attempts > MaxAttempts) return null;
                    if (Read(text.AsMemory(s, e - s + 1)) is { } plan) return plan;
                }
                candidates.Clear();
            }
        }
        return null;
    }

    /// <summary>The string that ended at <paramref name="end"/> is the key when it reads should_decompose and a colon follows.</summary>
    private static bool IsKey(string text, int start, int end)
    {
        if (!text.AsSpan(start, end - start).SequenceEqual(Key)) return false;
        var next = end + 1;
        while (next < text.Length && char.IsWhiteSpace(text[next])) next++;
        return next < text.Length && text[next] == ':';
    }

    private static Plan? Read(ReadOnlyMemory<char> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Tolerant);
            var root = document.RootElement;
            if (!root.TryGetProperty(Key, out var decide) || decide.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return null;
            var subproblems = new List<string>();
            if (root.TryGetProperty("subproblems", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array) return null;
                foreach (var element in list.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.String) return null;
                    var question = element.GetString()!.Trim();
                    if (question.Length > 0) subproblems.Add(question);
                }
            }
            var plan = root.TryGetProperty("plan", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
            return new Plan(decide.GetBoolean(), subproblems, plan);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
