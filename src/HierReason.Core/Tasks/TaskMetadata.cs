using System.Text.Json.Serialization;

namespace HierReason.Core.Tasks;

/// <summary>Where an item came from: it is regenerated exactly from (task, split, seed, index).</summary>
public sealed record ItemSource(string Split, long Seed, long Index);

/// <summary>
/// An item's metadata: its source, its gold solution trace, and whatever the task's verifier needs
/// (a task subclasses this record). It serialises to the item's <c>metadata</c> object.
/// </summary>
public abstract record TaskMetadata
{
    [JsonInclude, JsonPropertyOrder(-3)]
    public ItemSource Source { get; internal set; } = new("train", 0, 0);

    /// <summary>The difficulty level the item was generated at, when it came from a level preset.</summary>
    [JsonPropertyOrder(-2)]
    public int? Level { get; init; }

    /// <summary>The gold step-by-step solution ending in <c>&lt;answer&gt;…&lt;/answer&gt;</c>: the SFT target.</summary>
    [JsonPropertyOrder(-1)]
    public string Solution { get; init; } = "";
}
