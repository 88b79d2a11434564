using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Core.Configs;

/// <summary>
/// Command-line config overrides, <c>key=value</c>: a value that is valid JSON is read as JSON
/// (<c>max_animals=4</c>, <c>flag=true</c>, <c>ops=["+"]</c>), anything else as a string (<c>operators=+-</c>).
/// </summary>
public static class ConfigOverrides
{
    public static JsonObject Parse(IEnumerable<string>? assignments, string source = "--set")
    {
        var overrides = new JsonObject();
        if (assignments is null) return overrides;
        foreach (var assignment in assignments)
        {
            var eq = assignment.IndexOf('=');
            var key = eq < 0 ? "" : assignment[..eq].Trim();
            if (key.Length == 0)
                throw new ConfigException(source, "$", "key=value", $"'{assignment}'");
            overrides[key] = Value(assignment[(eq + 1)..]);
        }
        return overrides;
    }

    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
