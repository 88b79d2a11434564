namespace HierReason.Cli.Commands;

/// <summary>One scored line of a <c>tasks score</c> input.</summary>
public sealed record ScoredLine(int Line, string ItemId, double Score, string? Extracted, bool FormatOk);
