namespace HierReason.Engine.Tokenizers;

/// <summary>Turns text into token ids and back, recognising a model's special tokens as single ids.</summary>
public interface ITokenizer
{
    /// <summary>Number of ids the tokenizer can produce (one past the largest id).</summary>
    int VocabSize { get; }

    /// <summary>Ids that end a sequence (generation stops on any of them).</summary>
    IReadOnlyList<int> EosIds { get; }

    /// <summary>Id used to pad batches.</summary>
    int PadId { get; }

    /// <summary>Beginning-of-sequence id, when the model has one.</summary>
    int? BosId { get; }

    /// <summary>Special (added) tokens by their text.</summary>
    IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>Encodes text; special tokens written in the text become their single ids. With
    /// <paramref name="addSpecial"/>, the model's begin-of-sequence token is prepended where the model uses one.</summary>
    int[] Encode(string text, bool addSpecial = false);

    /// <summary>Decodes ids; invalid UTF-8 becomes U+FFFD rather than an exception.</summary>
    string Decode(IReadOnlyList<int> ids, bool skipSpecial = false);

    /// <summary>The id of a token given by its text (special tokens and, where it has one, the vocabulary), or null.</summary>
    int? TokenToId(string token);

    /// <summary>The text of a token id as the vocabulary stores it, or null when the id is unused.</summary>
    string? IdToToken(int id);

    /// <summary>Whether the id is a special (added) token.</summary>
    bool IsSpecial(int id);
}
