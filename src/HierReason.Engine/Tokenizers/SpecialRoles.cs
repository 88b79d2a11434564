namespace HierReason.Engine.Tokenizers;

/// <summary>Which ids end, pad and begin sequences, and whether encoding with special tokens prepends the begin id.</summary>
public sealed record SpecialRoles(IReadOnlyList<int> EosIds, int PadId, int? BosId, bool AddBos);
