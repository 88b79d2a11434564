using System.Text.Json;

namespace HierReason.Engine.Tokenizers;

/// <summary>Reads a Hugging Face <c>tokenizer.json</c> holding a byte-level BPE model into a <see cref="BpeDefinition"/>.</summary>
public static class HfTokenizerJson
{
    /// <summary>Parses the file; <paramref name="prependedToken"/> is the token its post-processor puts first, if any.</summary>
    public static BpeDefinition Read(string path, out string? prependedToken)
    {
        using var doc = TokenizerFiles.ReadJson(path);
        var root = doc.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new EngineException($"{path}: expected a 'model' object.");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type is not (null or "BPE"))
            throw new EngineException($"{path}: model.type is '{type}'; only byte-level BPE is supported.");
        if (!IsByteLevel(root))
            throw new EngineException($"{path}: not a byte-level BPE (no ByteLevel pre-tokenizer or decoder); SentencePiece-style BPE is not supported.");

        var vocab = ReadVocab(model, path);
        var merges = ReadMerges(model, path);
        var added = ReadAddedTokens(root);
        var (pattern, prefixSpace) = ReadPreTokenizer(root.TryGetProperty("pre_tokenizer", out var pre) ? pre : default, path);
        prependedToken = ReadPrependedToken(root.TryGetProperty("post_processor", out var post) ? post : default);
        return new BpeDefinition(vocab, merges, added, pattern, prefixSpace);
    }

    /// <summary>Parses merges given either as "a b" strings or as [a, b] arrays.</summary>
    public static List<(string Left, string Right)> ReadMerges(JsonElement model, string path)
    {
        var merges = new List<(string, string)>();
        if (!model.TryGetProperty("merges", out var list))
            return merges;
        foreach (var merge in list.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.String)
            {
                var text = merge.GetString()!;
                var space = text.IndexOf(' ', 1);
                if (space < 0)
                    throw new EngineException($"{path}: merge '{text}' is not of the form 'a b'.");
                merges.Add((text[..space], text[(space + 1)..]));
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                merges.Add((merge[0].GetString()!, merge[1].GetString()!));
            }
            else
            {
                throw new EngineException($"{path}: model.merges holds {merge.ValueKind}; expected \"a b\" or [\"a\", \"b\"].");
            }
        }

        return merges;
    }

    private static Dictionary<string, int> ReadVocab(JsonElement model, string path)
    {
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            throw new EngineException($"{path}: expected model.vocab to be an object of token → id.");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
            result[entry.Name] = entry.Value.GetInt32();
        return result;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var added = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var list) || list.ValueKind != JsonValueKind.Array)
            return added;
        foreach (var token in list.EnumerateArray())
        {
            var special = token.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
            added.Add(new AddedToken(token.GetProperty("content").GetString()!, token.GetProperty("id").GetInt32(), special));
        }

        return added;
    }

    private static bool IsByteLevel(JsonElement root)
    {
        static bool Has(JsonElement e) =>
            e.ValueKind == JsonValueKind.Object
            && ((e.TryGetProperty("type", out var t) && t.GetString() == "ByteLevel")
                || (e.TryGetProperty("pretokenizers", out var p) && p.EnumerateArray().Any(Has))
                || (e.TryGetProperty("decoders", out var d) && d.EnumerateArray().Any(Has)));
        return (root.TryGetProperty("pre_tokenizer", out var pre) && Has(pre))
            || (root.TryGetProperty("decoder", out var dec) && Has(dec));
    }

    private static (string? Pattern, bool PrefixSpace) ReadPreTokenizer(JsonElement pre, string path)
    {
        string? pattern = null;
        var prefixSpace = false;
        void Visit(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object)
                return;
            var type = e.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "Sequence":
                    foreach (var inner in e.GetProperty("pretokenizers").EnumerateArray())
                        Visit(inner);
                    break;
                case "Split":
                    SetPattern(SplitPattern(e, path));
                    break;
                case "ByteLevel":
                    prefixSpace = e.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True;
                    // use_regex defaults to true in tokenizers; Qwen2 and Llama 3 turn it off and Split instead.
                    if (!e.TryGetProperty("use_regex", out var ur) || ur.ValueKind == JsonValueKind.True)
                        SetPattern(PreTokenizerPatterns.Gpt2);
                    break;
                default:
                    throw new EngineException($"{path}: pre-tokenizer '{type}' is not supported (supported: Split, ByteLevel, Sequence).");
            }
        }

        void SetPattern(string p)
        {
            if (pattern is not null && pattern != p)
                throw new EngineException($"{path}: more than one split pattern in the pre-tokenizer is not supported.");
            pattern = p;
        }

        Visit(pre);
        return (pattern, prefixSpace);
    }

    private static string SplitPattern(JsonElement split, string path)
    {
        var behavior = split.TryGetProperty("behavior", out var b) ? b.GetString() : "Isolated";
        if (behavior != "Isolated")
            throw new EngineException($"{path}: Split behavior '{behavior}' is not supported (only Isolated).");
        if (split.TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True)
            throw new EngineException($"{path}: an inverted Split pattern is not supported.");
        var pattern = split.GetProperty("pattern");
        if (pattern.TryGetProperty("Regex", out var regex))
            return regex.GetString()!;
        if (pattern.TryGetProperty("String", out var literal))
            return System.Text.RegularExpressions.Regex.Escape(literal.GetString()!);
        throw new EngineException($"{path}: Split pattern must have 'Regex' or 'String'.");
    }

    // Llama 3's TemplateProcessing puts <|begin_of_text|> first; Qwen2's ByteLevel post-processor adds nothing.
    private static string? ReadPrependedToken(JsonElement post)
    {
        if (post.ValueKind != JsonValueKind.Object)
            return null;
        var type = post.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "Sequence" && post.TryGetProperty("processors", out var processors))
            return processors.EnumerateArray().Select(ReadPrependedToken).FirstOrDefault(x => x is not null);
        if (type != "TemplateProcessing" || !post.TryGetProperty("single", out var single) || single.GetArrayLength() == 0)
            return null;
        return single[0].TryGetProperty("SpecialToken", out var first) ? first.GetProperty("id").GetString() : null;
    }
}
