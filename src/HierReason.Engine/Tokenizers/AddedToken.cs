namespace HierReason.Engine.Tokenizers;

/// <summary>A token added on top of the BPE vocabulary; it is matched whole in text. Special ones are skipped on request.</summary>
public sealed record AddedToken(string Content, int Id, bool Special);
