using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Json;
using HierReason.Core.Tasks;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary>The registered tasks described for <c>tasks list</c>: name, description, levels and every config field.</summary>
public static class TaskCatalog
{
    /// <summary>A JSON array: <c>[{ name, description, levels, config: [{ name, type, default, description }] }]</c>.</summary>
    public static JsonArray ToJson(IEnumerable<IReasoningTask> tasks)
    {
        var array = new JsonArray();
        foreach (var task in tasks)
        {
            var fields = new JsonArray();
            foreach (var f in Fields(task))
                fields.Add(new JsonObject { ["name"] = f.Name, ["type"] = f.Type, ["default"] = f.Default?.DeepClone(), ["description"] = f.Description });
            array.Add(new JsonObject
            {
                ["name"] = task.Name,
                ["description"] = task.Description,
                ["levels"] = task.Levels.Count,
                ["config"] = fields,
            });
        }
        return array;
    }

    public static void Render(IAnsiConsole console, IEnumerable<IReasoningTask> tasks)
    {
        foreach (var task in tasks)
        {
            var table = new Table()
                .Title($"{Markup.Escape(task.Name)} ({task.Levels.Count} level{(task.Levels.Count == 1 ? "" : "s")}): {Markup.Escape(task.Description)}")
                .AddColumn("Field").AddColumn("Type").AddColumn("Default").AddColumn("Description");
            foreach (var f in Fields(task))
                table.AddRow(Markup.Escape(f.Name), Markup.Escape(f.Type), Markup.Escape(f.Default?.ToJsonString(HierJson.Options) ?? "null"), Markup.Escape(f.Description));
            console.Write(table);
            console.WriteLine();
        }
    }

    private sealed record ConfigField(string Name, string Type, JsonNode? Default, string Description);

    private static IEnumerable<ConfigField> Fields(IReasoningTask task)
    {
        var defaults = (JsonObject)JsonSerializer.SerializeToNode(task.DefaultConfig, task.ConfigType, HierJson.Options)!;
        var properties = task.ConfigType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var (name, value) in defaults)
        {
            var property = properties.FirstOrDefault(p => HierJson.Name(p.Name) == name);
            var description = property?.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
            yield return new ConfigField(name, property is null ? "unknown" : TypeName(property.PropertyType), value, description);
        }
    }

    /// <summary>A short type name as a config file sees it: integer, number, boolean, string, list&lt;…&gt;, map&lt;string, …&gt;.</summary>
    public static string TypeName(Type t)
    {
        var underlying = Nullable.GetUnderlyingType(t);
        if (underlying is not null) return TypeName(underlying) + "?";
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte)) return "integer";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "number";
        if (t == typeof(bool)) return "boolean";
        if (t == typeof(string) || t == typeof(char)) return "string";
        if (t.IsEnum) return "enum(" + string.Join("|", Enum.GetNames(t).Select(HierJson.Name)) + ")";
        if (t.IsArray) return $"list<{TypeName(t.GetElementType()!)}>";
        if (t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
        {
            var args = t.GetGenericArguments();
            return args.Length == 2 ? $"map<{TypeName(args[0])}, {TypeName(args[1])}>" : $"list<{TypeName(args[0])}>";
        }
        return "object";
    }
}
