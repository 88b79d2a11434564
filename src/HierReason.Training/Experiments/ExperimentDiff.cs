using System.Text.Json.Nodes;

namespace HierReason.Training.Experiments;

/// <summary>The JSON paths at which two resolved experiments differ, with both values, so a message can say what changed.</summary>
internal static class ExperimentDiff
{
    /// <summary>Differences of <paramref name="before"/> and <paramref name="after"/> in document order ("$.sft.steps: 30 → 40"); objects are compared key by key, anything else whole.</summary>
    public static IReadOnlyList<string> Of(JsonNode? before, JsonNode? after)
    {
        var found = new List<string>();
        Walk(before, after, "$", found);
        return found;
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<string> found)
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Concat(b.Select(p => p.Key).Where(k => !a.ContainsKey(k))))
            {
                var at = $"{path}.{key}";
                if (!a.ContainsKey(key)) found.Add($"{at}: (absent) → {Show(b[key])}");
                else if (!b.ContainsKey(key)) found.Add($"{at}: {Show(a[key])} → (absent)");
                else Walk(a[key], b[key], at, found);
            }
            return;
        }
        if (!JsonNode.DeepEquals(before, after)) found.Add($"{path}: {Show(before)} → {Show(after)}");
    }

    private static string Show(JsonNode? node)
    {
        if (node is null) return "null";
        var text = node.ToJsonString();
        return text.Length <= 40 ? text : text[..37] + "...";
    }
}
