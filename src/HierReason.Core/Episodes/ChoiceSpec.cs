namespace HierReason.Core.Episodes;

/// <summary>A turn that must choose one of <paramref name="Values"/>, answered as the JSON <c>{"Field": "value"}</c> (a taxonomy chooser's next thought type).</summary>
public sealed record ChoiceSpec(string Field, IReadOnlyList<string> Values);
