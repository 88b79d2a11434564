using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HierReason.Core.Episodes;

namespace HierReason.Core.Results;

/// <summary>
/// A job's strategy as models.json composes it: the strategy's name (<see cref="StrategyCatalog"/>), its checked options
/// (defaults filled in, so equal settings hash alike), and the frozen models of its other roles (a planner's worker).
/// </summary>
public sealed record StrategySpec(string Name, JsonObject Options, IReadOnlyDictionary<string, ModelSpec>? Models = null)
{
    public static StrategySpec Vanilla { get; } = new(EpisodeStrategy.VanillaName, new JsonObject());

    [JsonIgnore]
    public bool IsVanilla => Name == EpisodeStrategy.VanillaName;

    /// <summary>The text that enters a job's key: name, options and the frozen models' identities.</summary>
    public string KeyText() =>
        Name + "|" + Options.ToJsonString() + "|" + string.Join(";", (Models ?? new Dictionary<string, ModelSpec>())
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => $"{m.Key}={m.Value.Name}:{m.Value.Backend}:{m.Value.Path}:{m.Value.RemoteModel}:{m.Value.CheckpointHash}:{m.Value.ChatTemplate}"));
}
