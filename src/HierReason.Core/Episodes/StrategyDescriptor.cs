using System.Text.Json.Nodes;

namespace HierReason.Core.Episodes;

/// <summary>
/// A strategy as config files name it, without its implementation (which lives in HierReason.Reasoning): its roles
/// (a models.json composite names a model for each; <see cref="PolicyRole"/> is the one sampled and trained), and a check
/// of its options that returns them complete with defaults, so that equal settings hash to equal job keys.
/// </summary>
public sealed record StrategyDescriptor(
    string Name,
    string Description,
    IReadOnlyList<string> Roles,
    string PolicyRole,
    Func<JsonObject?, string?, string, JsonObject> ValidateOptions,
    Func<JsonObject, IReadOnlyList<string>>? RolesUsed = null)
{
    /// <summary>
    /// The roles a composite with these checked options fills (default: all): planner_worker under a gold plan runs no
    /// planner. When the policy role is not among them nothing is sampled, so nothing can be trained either.
    /// </summary>
    public IReadOnlyList<string> RolesFor(JsonObject checkedOptions) => RolesUsed?.Invoke(checkedOptions) ?? Roles;

    /// <summary>The options checked and completed; <paramref name="file"/> and <paramref name="path"/> locate errors.</summary>
    public JsonObject Options(JsonObject? options, string? file, string path) => ValidateOptions(options, file, path);

    /// <summary>The roles other than the policy's: frozen models the strategy calls.</summary>
    public IEnumerable<string> FrozenRoles => Roles.Where(r => r != PolicyRole);
}
