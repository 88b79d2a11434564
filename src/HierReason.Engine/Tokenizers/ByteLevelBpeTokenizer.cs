using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace HierReason.Engine.Tokenizers;

/// <summary>Byte-level BPE (GPT-2, Qwen2, Llama 3 style) on Microsoft.ML.Tokenizers, with added tokens matched whole.</summary>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _added;
    private readonly HashSet<int> _specialIds;
    private readonly Dictionary<int, string> _addedById;
    private readonly IReadOnlyDictionary<string, int> _vocab;
    private readonly Dictionary<int, string> _vocabById;
    private readonly bool _addPrefixSpace;
    private readonly SpecialRoles _roles;

    /// <summary>Builds the tokenizer from its definition and special-token roles.</summary>
    public ByteLevelBpeTokenizer(BpeDefinition definition, SpecialRoles roles)
    {
        _vocab = definition.Vocab;
        _vocabById = new Dictionary<int, string>(definition.Vocab.Count);
        foreach (var (token, id) in definition.Vocab)
            _vocabById.TryAdd(id, token);
        _added = new Dictionary<string, int>(StringComparer.Ordinal);
        _addedById = [];
        _specialIds = [];
        foreach (var token in definition.AddedTokens)
        {
            _added[token.Content] = token.Id;
            _addedById[token.Id] = token.Content;
            if (token.Special)
                _specialIds.Add(token.Id);
        }

        _roles = roles;
        _addPrefixSpace = definition.AddPrefixSpace;
        VocabSize = Math.Max(
            definition.Vocab.Count == 0 ? 0 : definition.Vocab.Values.Max() + 1,
            _addedById.Count == 0 ? 0 : _addedById.Keys.Max() + 1);
        _bpe = BpeTokenizer.Create(Options(definition, _added));
    }

    /// <inheritdoc />
    public int VocabSize { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> EosIds => _roles.EosIds;

    /// <inheritdoc />
    public int PadId => _roles.PadId;

    /// <inheritdoc />
    public int? BosId => _roles.BosId;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, int> SpecialTokens => _added;

    /// <inheritdoc />
    public int[] Encode(string text, bool addSpecial = false)
    {
        if (_addPrefixSpace && text.Length > 0 && text[0] != ' ')
            text = " " + text;
        var ids = _bpe.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true);
        if (!(addSpecial && _roles.AddBos && _roles.BosId is { } bos))
            return [.. ids];
        return [bos, .. ids];
    }

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> ids, bool skipSpecial = false)
    {
        // Non-special added tokens (e.g. <think> in some vocabularies) stay even when specials are skipped.
        var kept = skipSpecial ? ids.Where(id => !_specialIds.Contains(id)) : ids;
        return _bpe.Decode(kept, considerSpecialTokens: true) ?? "";
    }

    /// <inheritdoc />
    public int? TokenToId(string token) =>
        _added.TryGetValue(token, out var id) ? id
        : _vocab.TryGetValue(token, out id) ? id
        : null;

    /// <inheritdoc />
    public string? IdToToken(int id) =>
        _addedById.TryGetValue(id, out var token) ? token
        : _vocabById.GetValueOrDefault(id);

    /// <inheritdoc />
    public bool IsSpecial(int id) => _specialIds.Contains(id);

    private static BpeOptions Options(BpeDefinition definition, Dictionary<string, int> added)
    {
        var merges = new List<string>(definition.Merges.Count);
        foreach (var (left, right) in definition.Merges)
        {
            // Microsoft.ML.Tokenizers takes merges as "a b" lines; byte-level tokens never hold a raw space (it is 'Ġ').
            if (left.Contains(' ') || right.Contains(' '))
                throw new EngineException($"Merge ('{left}', '{right}') contains a space, which byte-level BPE cannot hold.");
            merges.Add(left + " " + right);
        }

        var options = new BpeOptions(definition.Vocab)
        {
            Merges = merges,
            SpecialTokens = added,
            ByteLevel = true,
        };
        // Without a split pattern each run of text between added tokens is one word.
        var pattern = definition.Pattern ?? @"[\s\S]+";
        options.PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), added);
        return options;
    }
}
