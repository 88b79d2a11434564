using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Json;

/// <summary>Overlays JSON overrides on a task config, with errors that name the file, the path and what was expected.</summary>
public static class TaskConfigReader
{
    public static TConfig Read<TConfig>(string task, TConfig baseConfig, JsonObject? overrides, string? file, string jsonPath)
        where TConfig : TaskConfig
    {
        var merged = (JsonObject)JsonSerializer.SerializeToNode(baseConfig, HierJson.Options)!;
        if (overrides is not null)
        {
            foreach (var (key, value) in overrides)
            {
                if (!merged.ContainsKey(key))
                {
                    var known = string.Join(", ", merged.Select(p => p.Key));
                    throw new ConfigException(file, $"{jsonPath}.{key}", $"a {task} config field (one of: {known})", $"unknown field '{key}'");
                }
                merged[key] = value?.DeepClone();
            }
        }

        TConfig config;
        try
        {
            config = merged.Deserialize<TConfig>(HierJson.Options)
                     ?? throw new ConfigException(file, jsonPath, $"a {task} config object", "null");
        }
        catch (JsonException e)
        {
            var sub = e.Path is null or "$" ? "" : e.Path[1..];
            var field = sub.TrimStart('.').Split('.', '[')[0];
            throw new ConfigException(file, jsonPath + sub, ExpectedFor(typeof(TConfig), field), FoundAt(merged, field));
        }

        try
        {
            config.Validate();
        }
        catch (ConfigException e)
        {
            throw e.In(file, jsonPath);
        }
        return config;
    }

    private static string? FoundAt(JsonObject obj, string field)
        => obj.TryGetPropertyValue(field, out var v) ? v?.ToJsonString() ?? "null" : null;

    private static string ExpectedFor(Type configType, string field)
    {
        var prop = configType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => HierJson.Name(p.Name) == field);
        return prop is null ? "a valid value" : Describe(prop.PropertyType);
    }

    /// <summary>A human name for a config field's type ("an integer", "a list of strings").</summary>
    public static string Describe(Type t)
    {
        var u = Nullable.GetUnderlyingType(t);
        if (u is not null) return Describe(u) + " or null";
        if (t == typeof(int) || t == typeof(long)) return "an integer";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(string)) return "a string";
        if (t.IsEnum) return "one of: " + string.Join(", ", Enum.GetNames(t).Select(HierJson.Name));
        if (t.IsArray) return "a list of " + Plural(t.GetElementType()!);
        if (t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
        {
            var args = t.GetGenericArguments();
            return args.Length == 2 ? "an object of " + Plural(args[1]) : "a list of " + Plural(args[0]);
        }
        return "an object";
    }

    private static string Plural(Type t) => Describe(t) switch
    {
        "an integer" => "integers",
        "a number" => "numbers",
        "a string" => "strings",
        "true or false" => "booleans",
        var d => d,
    };
}
