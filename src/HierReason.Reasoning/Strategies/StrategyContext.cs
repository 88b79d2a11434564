using System.Text.Json.Nodes;
using HierReason.Backends;

namespace HierReason.Reasoning.Strategies;

/// <summary>
/// What building a strategy may use: its checked options and the frozen models of its other roles, by role. A context
/// <see cref="ForGold"/> has no models: the strategy is built for its gold episodes (SFT), never to roll out.
/// </summary>
public sealed record StrategyContext(JsonObject Options, IReadOnlyDictionary<string, IModelBackend> Models)
{
    public static StrategyContext Of(JsonObject options) => new(options, new Dictionary<string, IModelBackend>());

    /// <summary>A context for SFT on gold episodes: the frozen roles' text comes from the task's metadata, so no model is loaded.</summary>
    public static StrategyContext ForGold(JsonObject options) => new(options, new Dictionary<string, IModelBackend>()) { GoldOnly = true };

    /// <summary>Whether the strategy is built only for its gold episodes (its environment refuses to run).</summary>
    public bool GoldOnly { get; init; }

    /// <summary>The frozen model of <paramref name="role"/>; its absence is a bug (the catalog's roles are checked before).</summary>
    public IModelBackend Model(string role) =>
        Models.TryGetValue(role, out var model) ? model : throw new InvalidOperationException($"no model for the role '{role}'");
}
