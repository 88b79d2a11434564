namespace HierReason.Engine.Prm;

/// <summary>One prompt and its steps, to be scored.</summary>
public sealed record Trajectory(string Prompt, IReadOnlyList<string> Steps);
