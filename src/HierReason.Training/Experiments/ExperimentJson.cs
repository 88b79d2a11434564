using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.IO;

namespace HierReason.Training.Experiments;

/// <summary>Typed reads of experiment JSON whose errors name the file, the JSON path and what was expected.</summary>
internal static class ExperimentJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
    };

    public static JsonObject ParseObject(string text, string file)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(text, documentOptions: DocumentOptions); }
        catch (JsonException e)
        {
            throw new ConfigException(file, "$", "valid JSON", $"a syntax error at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}");
        }
        return root as JsonObject ?? throw new ConfigException(file, "$", "a JSON object", Found(root));
    }

    public static string String(JsonNode? node, string file, string path, string expected = "a string")
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            if (text.Length > ConfigFileText.MaxStringLength)
                throw new ConfigException(file, path, $"a string of at most {ConfigFileText.MaxStringLength} characters", $"{text.Length} characters");
            return text;
        }
        throw new ConfigException(file, path, expected, Found(node));
    }

    public static long Integer(JsonNode? node, string file, string path, long min, long max)
    {
        var expected = max == long.MaxValue
            ? $"an integer >= {min.ToString(CultureInfo.InvariantCulture)}"
            : $"an integer in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]";
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number
            || !v.TryGetValue<decimal>(out var d) || d != decimal.Truncate(d) || d < min || d > max)
            throw new ConfigException(file, path, expected, Found(node));
        return (long)d;
    }

    public static double Number(JsonNode? node, string file, string path, double min, double max, string? expected = null)
    {
        expected ??= $"a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]";
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
            && double.IsFinite(d) && d >= min && d <= max)
            return d;
        throw new ConfigException(file, path, expected, Found(node));
    }

    public static string Found(JsonNode? node)
    {
        if (node is null) return "null";
        var text = node.ToJsonString();
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}
