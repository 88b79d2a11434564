using System.Text.Json.Nodes;
using HierReason.Backends;

namespace HierReason.Reasoning.Strategies;

/// <summary>What building a strategy may use: its checked options and the frozen models of its other roles, by role.</summary>
public sealed record StrategyContext(JsonObject Options, IReadOnlyDictionary<string, IModelBackend> Models)
{
    public static StrategyContext Of(JsonObject options) => new(options, new Dictionary<string, IModelBackend>());

    /// <summary>The frozen model of <paramref name="role"/>; its absence is a bug (the catalog's roles are checked before).</summary>
    public IModelBackend Model(string role) =>
        Models.TryGetValue(role, out var model) ? model : throw new InvalidOperationException($"no model for the role '{role}'");
}
