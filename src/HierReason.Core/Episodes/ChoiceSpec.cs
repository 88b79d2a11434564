namespace HierReason.Core.Episodes;

/// <summary>
/// A turn that must be one of <paramref name="Values"/> (a taxonomy chooser's thought type): a backend over HTTP is asked
/// for <c>{"<paramref name="Field"/>": value}</c> under a JSON schema whose enum is the values.
/// </summary>
public sealed record ChoiceSpec(string Field, IReadOnlyList<string> Values);
