using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.IO;

namespace HierReason.Core.Configs;

/// <summary>Reads the parts of a config file by hand, so that every error names the file, the JSON path and what was expected.</summary>
internal static class ConfigJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// Parses a whole file; a syntax error names its line and position (1-based). <c>$schema</c> and <c>$comment</c> are
    /// checked and removed (<see cref="ConfigAnnotations"/>); <c>//</c> comments are still skipped (deprecated: shipped files use <c>$comment</c>).
    /// </summary>
    public static JsonObject ParseObject(string text, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var position = (e.BytePositionInLine ?? 0) + 1;
            throw new ConfigException(file, "$", "valid JSON", $"a syntax error at line {line}, position {position}: {FirstSentence(e.Message)}");
        }
        var obj = root as JsonObject ?? throw new ConfigException(file, "$", "a JSON object", Found(root));
        ConfigAnnotations.Strip(obj, file);
        return obj;
    }

    /// <summary>A config file's text: regular files only, size-limited, strict UTF-8 (<see cref="ConfigFileText"/>).</summary>
    public static string ReadFile(string path) => ConfigFileText.Read(path);

    public static void RejectUnknown(JsonObject obj, string file, string path, params string[] allowed)
    {
        foreach (var (key, _) in obj)
            if (Array.IndexOf(allowed, key) < 0)
                throw new ConfigException(file, $"{path}.{key}", $"one of the fields {string.Join(", ", allowed)}", $"unknown field '{key}'");
    }

    public static JsonObject? OptionalObject(JsonObject parent, string key, string file, string path)
    {
        if (!parent.TryGetPropertyValue(key, out var node)) return null;
        return node as JsonObject ?? throw new ConfigException(file, $"{path}.{key}", "an object", Found(node));
    }

    public static JsonArray? OptionalArray(JsonObject parent, string key, string file, string path)
    {
        if (!parent.TryGetPropertyValue(key, out var node)) return null;
        return node as JsonArray ?? throw new ConfigException(file, $"{path}.{key}", "a list", Found(node));
    }

    public static string String(JsonNode? node, string file, string path)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            if (text.Length > ConfigFileText.MaxStringLength)
                throw new ConfigException(file, path, $"a string of at most {ConfigFileText.MaxStringLength} characters", $"{text.Length} characters");
            return text;
        }
        throw new ConfigException(file, path, "a string", Found(node));
    }

    public static long Integer(JsonNode? node, string file, string path, long min, long max, string? what = null)
    {
        var expected = what ?? $"an integer in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]";
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            throw new ConfigException(file, path, expected, Found(node));
        // 3.0 is an integer as people write it; 3.5 and 1e30 are not.
        if (!v.TryGetValue<decimal>(out var d) || d != decimal.Truncate(d) || d < long.MinValue || d > long.MaxValue)
            throw new ConfigException(file, path, expected, Found(node));
        var n = (long)d;
        if (n < min || n > max) throw new ConfigException(file, path, expected, Found(node));
        return n;
    }

    public static double Number(JsonNode? node, string file, string path)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && double.IsFinite(d))
            return d;
        throw new ConfigException(file, path, "a number", Found(node));
    }

    public static string Found(JsonNode? node) => node is null ? "null" : Truncate(node.ToJsonString());

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd();
    }
}
