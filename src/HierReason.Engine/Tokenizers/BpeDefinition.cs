namespace HierReason.Engine.Tokenizers;

/// <summary>Everything a byte-level BPE tokenizer is built from, independent of the file format it came in.</summary>
/// <param name="Vocab">Byte-level token text (GPT-2 byte↔unicode alphabet) to id.</param>
/// <param name="Merges">Merge pairs, highest priority first.</param>
/// <param name="AddedTokens">Added tokens (special and not).</param>
/// <param name="Pattern">The pre-tokenizer's split regex, or null to treat each text run as one word.</param>
/// <param name="AddPrefixSpace">Whether a space is put before text that does not start with one (RoBERTa style).</param>
public sealed record BpeDefinition(
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    string? Pattern,
    bool AddPrefixSpace = false);
