namespace HierReason.Core.Configs;

/// <summary>The benchmark set read from <c>tasks.json</c>: the entries, defaults already applied.</summary>
public sealed record TaskSet(string? Path, IReadOnlyList<TaskSetEntry> Entries);
