using System.Text.Json.Serialization;

namespace HierReason.Core.Tasks;

/// <summary>One generated problem: <c>{ id, task, question, answer, metadata }</c>.</summary>
public sealed record TaskItem(string Id, string Task, string Question, string Answer, TaskMetadata Metadata)
{
    /// <summary>The gold solution trace (also in <see cref="TaskMetadata.Solution"/>).</summary>
    [JsonIgnore]
    public string Solution => Metadata.Solution;
}
