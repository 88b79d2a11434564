using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Engine.Models;

/// <summary>Typed access to config.json fields whose errors name the file, the field and what was expected.</summary>
internal sealed class ConfigFieldReader(JsonObject json, string file)
{
    public EngineException Error(string field, string expected, string? found) =>
        new(found is null
            ? $"{file}: $.{field}: expected {expected}"
            : $"{file}: $.{field}: expected {expected}; found {found}");

    public string? String(string field, string? fallback)
    {
        var node = json[field];
        if (node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw Error(field, "a string", node.ToJsonString());
    }

    /// <summary>An optional integer in [<paramref name="min"/>, <paramref name="max"/>]; anything else names the range.</summary>
    public int? BoundedInt(string field, int min, int max, string? expected = null)
    {
        var node = json[field];
        if (node is null) return null;
        expected ??= $"an integer in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]";
        var value = AsInt(node);
        if (value is not { } v || v < min || v > max) throw Error(field, expected, Shown(node));
        return v;
    }

    /// <summary>A required size that is absent.</summary>
    public EngineException Missing(string field, int max) =>
        Error(field, $"an integer in [1, {max.ToString(CultureInfo.InvariantCulture)}] (required)", null);

    public int? OptionalInt(string field)
    {
        var node = json[field];
        if (node is null) return null;
        return AsInt(node) ?? throw Error(field, "an integer", node.ToJsonString());
    }

    public double Double(string field, double fallback)
    {
        var node = json[field];
        if (node is null) return fallback;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
        throw Error(field, "a number", node.ToJsonString());
    }

    public bool Bool(string field, bool fallback)
    {
        var node = json[field];
        if (node is null) return fallback;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw Error(field, "true or false", node.ToJsonString());
    }

    public IReadOnlyList<int> IntOrIntList(string field)
    {
        var node = json[field];
        if (node is null) return [];
        if (AsInt(node) is { } single) return [single];
        if (node is JsonArray array)
            return array.Select(item => item is null ? null : AsInt(item))
                .Select(id => id ?? throw Error(field, "an integer or a list of integers", node.ToJsonString()))
                .ToArray();
        throw Error(field, "an integer or a list of integers", node.ToJsonString());
    }

    // A hostile file may hold a megabyte-long number; the message quotes its start.
    private static string Shown(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    private static int? AsInt(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i
        : node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.GetValue<double>() is var x && x == Math.Floor(x) && Math.Abs(x) < int.MaxValue ? (int)x
        : null;
}
