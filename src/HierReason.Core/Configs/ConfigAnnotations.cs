using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Core.Configs;

/// <summary>
/// The two JSON Schema keys every config file may carry besides its own: <c>"$schema"</c> (a string, at the top level: the
/// schema an editor checks the file against) and <c>"$comment"</c> (a string or a list of strings, in any object: the text
/// a <c>//</c> comment used to hold). Readers remove them with <see cref="Strip"/> before they read the rest strictly, so
/// they never change what a file means (nor an experiment's hash).
/// </summary>
public static class ConfigAnnotations
{
    /// <summary>The key of the schema reference, allowed at the top level only.</summary>
    public const string SchemaKey = "$schema";

    /// <summary>The key of a comment, allowed in every object.</summary>
    public const string CommentKey = "$comment";

    /// <summary>
    /// Checks and removes <c>$schema</c> from <paramref name="root"/> and <c>$comment</c> from every object below it (in place).
    /// A <c>$schema</c> below the top level is left for the reader to reject as an unknown field.
    /// </summary>
    public static void Strip(JsonObject root, string? file)
    {
        if (root.TryGetPropertyValue(SchemaKey, out var schema))
        {
            if (schema is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                throw new ConfigException(file, "$." + SchemaKey, "a string (the path or URL of the file's JSON Schema)", Found(schema));
            root.Remove(SchemaKey);
        }
        StripComments(root, file, "$");
    }

    private static void StripComments(JsonNode? node, string? file, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue(CommentKey, out var comment))
                {
                    CheckComment(comment, file, $"{path}.{CommentKey}");
                    obj.Remove(CommentKey);
                }
                foreach (var (key, child) in obj) StripComments(child, file, $"{path}.{key}");
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) StripComments(array[i], file, $"{path}[{i}]");
                break;
        }
    }

    private static void CheckComment(JsonNode? comment, string? file, string path)
    {
        const string expected = "a comment: a string or a list of strings";
        if (comment is JsonValue v && v.GetValueKind() == JsonValueKind.String) return;
        if (comment is JsonArray lines)
        {
            for (var i = 0; i < lines.Count; i++)
                if (lines[i] is not JsonValue line || line.GetValueKind() != JsonValueKind.String)
                    throw new ConfigException(file, $"{path}[{i}]", "a string (one line of the comment)", Found(lines[i]));
            return;
        }
        throw new ConfigException(file, path, expected, Found(comment));
    }

    private static string Found(JsonNode? node)
    {
        if (node is null) return "null";
        var text = node.ToJsonString();
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}
