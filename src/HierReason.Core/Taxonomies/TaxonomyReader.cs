using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Core.Taxonomies;

/// <summary>
/// Reads taxonomy.json's shape (types, required and unknown keys) into nodes; what the nodes must satisfy together
/// (unique ids, a tree, full levels, distinct labels) is <see cref="TaxonomyRules"/>'s.
/// </summary>
public static class TaxonomyReader
{
    /// <summary>The keys of taxonomy.json's top level (besides <c>$schema</c>); schemas/taxonomy.schema.json declares the same (a test checks).</summary>
    public static readonly string[] RootKeys = ["name", "nodes"];

    /// <summary>The keys of a node.</summary>
    public static readonly string[] NodeKeys = ["id", "label", "description", "level", "children", "examples"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
    };

    internal static (string Name, IReadOnlyList<ThoughtType> Nodes) Read(string json, string? file)
    {
        var root = ParseRoot(json, file);
        RejectUnknown(root, RootKeys, file, "$");
        var name = String(root, "name", file, "$");
        if (name.Trim().Length == 0) throw new ConfigException(file, "$.name", "a non-empty name", Found(root["name"]));
        if (!root.TryGetPropertyValue("nodes", out var nodesNode))
            throw new ConfigException(file, "$.nodes", "a non-empty list of nodes", "nothing");
        if (nodesNode is not JsonArray array || array.Count == 0)
            throw new ConfigException(file, "$.nodes", "a non-empty list of nodes", Found(nodesNode));
        var nodes = new List<ThoughtType>(array.Count);
        for (var i = 0; i < array.Count; i++) nodes.Add(ReadNode(array[i], file, $"$.nodes[{i}]"));
        return (name, nodes);
    }

    private static JsonObject ParseRoot(string json, string? file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var position = (e.BytePositionInLine ?? 0) + 1;
            var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            throw new ConfigException(file, path, "valid JSON", $"a syntax error at line {line}, position {position}: {FirstSentence(e.Message)}");
        }
        var obj = root as JsonObject ?? throw new ConfigException(file, "$", "a JSON object {\"name\": …, \"nodes\": […]}", Found(root));
        Configs.ConfigAnnotations.Strip(obj, file);
        return obj;
    }

    private static ThoughtType ReadNode(JsonNode? node, string? file, string path)
    {
        if (node is not JsonObject obj) throw new ConfigException(file, path, "a node object {id, label, description, level, children, examples}", Found(node));
        RejectUnknown(obj, NodeKeys, file, path);
        var id = String(obj, "id", file, path);
        var label = String(obj, "label", file, path);
        var description = String(obj, "description", file, path);
        var level = Level(obj, file, path);
        var children = StringList(obj, "children", file, path);
        var examples = StringList(obj, "examples", file, path);
        return new ThoughtType(id, label, description, level, children, examples);
    }

    private static int Level(JsonObject obj, string? file, string path)
    {
        const string expected = "an integer level ≥ 0";
        if (!obj.TryGetPropertyValue("level", out var node)) throw new ConfigException(file, $"{path}.level", expected, "nothing");
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d)
            && d == decimal.Truncate(d) && d >= 0 && d <= int.MaxValue)
            return (int)d;
        throw new ConfigException(file, $"{path}.level", expected, Found(node));
    }

    private static string String(JsonObject obj, string key, string? file, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var node)) throw new ConfigException(file, $"{path}.{key}", "a string", "nothing");
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw new ConfigException(file, $"{path}.{key}", "a string", Found(node));
    }

    private static IReadOnlyList<string> StringList(JsonObject obj, string key, string? file, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var node)) return [];
        if (node is not JsonArray array) throw new ConfigException(file, $"{path}.{key}", "a list of strings", Found(node));
        var list = new string[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String) list[i] = v.GetValue<string>();
            else throw new ConfigException(file, $"{path}.{key}[{i}]", "a string", Found(array[i]));
        }
        return list;
    }

    private static void RejectUnknown(JsonObject obj, string[] allowed, string? file, string path)
    {
        foreach (var (key, _) in obj)
            if (Array.IndexOf(allowed, key) < 0)
                throw new ConfigException(file, $"{path}.{key}", $"one of the fields {string.Join(", ", allowed)}", $"unknown field '{key}'");
    }

    internal static string Found(JsonNode? node)
    {
        if (node is null) return "null";
        var text = node.ToJsonString();
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd();
    }
}
