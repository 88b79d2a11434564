using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Json;

/// <summary>Reads and writes task items as JSON, the way <c>tasks sample --json</c> prints them.</summary>
public static class TaskItemJson
{
    public static string Serialize(TaskItem item, bool indented = false)
        => ToNode(item).ToJsonString(indented ? HierJson.Indented : HierJson.Options);

    public static JsonObject ToNode(TaskItem item) => new()
    {
        ["id"] = item.Id,
        ["task"] = item.Task,
        ["question"] = item.Question,
        ["answer"] = item.Answer,
        ["metadata"] = JsonSerializer.SerializeToNode(item.Metadata, item.Metadata.GetType(), HierJson.Options),
    };

    /// <summary>Reads an item; errors name <paramref name="source"/> and the JSON path.</summary>
    public static TaskItem Deserialize(JsonElement e, TaskRegistry registry, string source = "input", string path = "$")
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new ConfigException(source, path, "an item object { id, task, question, answer, metadata }", e.ValueKind.ToString().ToLowerInvariant());
        string Str(string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
                throw new ConfigException(source, $"{path}.{name}", "a string");
            return v.GetString()!;
        }
        var taskName = Str("task");
        var task = registry.TryGet(taskName)
                   ?? throw new ConfigException(source, $"{path}.task", $"a registered task (one of: {string.Join(", ", registry.Names)})", $"'{taskName}'");
        if (!e.TryGetProperty("metadata", out var meta) || meta.ValueKind != JsonValueKind.Object)
            throw new ConfigException(source, $"{path}.metadata", $"the {taskName} metadata object");
        TaskMetadata metadata;
        try
        {
            metadata = task.ReadMetadata(meta);
        }
        catch (JsonException je)
        {
            throw new ConfigException(source, $"{path}.metadata{je.Path?.TrimStart('$')}", $"{taskName} metadata ({je.Message.Split('.')[0]})");
        }
        return new TaskItem(Str("id"), taskName, Str("question"), Str("answer"), metadata);
    }
}
