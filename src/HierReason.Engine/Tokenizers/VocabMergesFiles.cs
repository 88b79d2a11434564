using System.Text.Json;

namespace HierReason.Engine.Tokenizers;

/// <summary>Reads the slow GPT-2 tokenizer files (<c>vocab.json</c> + <c>merges.txt</c>) into a <see cref="BpeDefinition"/>.</summary>
public static class VocabMergesFiles
{
    /// <summary>Reads the two files; added tokens and the word pattern come from <c>tokenizer_config.json</c> when given.</summary>
    public static BpeDefinition Read(string vocabPath, string mergesPath, JsonElement? tokenizerConfig)
    {
        using var doc = TokenizerFiles.ReadJson(vocabPath);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new EngineException($"{vocabPath}: expected an object of token → id.");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in doc.RootElement.EnumerateObject())
            vocab[entry.Name] = entry.Value.GetInt32();

        var merges = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var rawLine in IO.ModelFileText.Read(mergesPath, IO.ModelFileText.MaxTokenizerBytes).Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            lineNumber++;
            if (line.Length == 0 || line.StartsWith("#version", StringComparison.Ordinal))
                continue;
            var space = line.IndexOf(' ', 1);
            if (space < 0)
                throw new EngineException($"{mergesPath}:{lineNumber}: expected 'a b', found '{line}'.");
            merges.Add((line[..space], line[(space + 1)..]));
        }

        var added = new List<AddedToken>();
        var pattern = PreTokenizerPatterns.Gpt2;
        var prefixSpace = false;
        if (tokenizerConfig is { } config)
        {
            if (config.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in decoder.EnumerateObject())
                {
                    var special = entry.Value.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
                    var content = entry.Value.GetProperty("content").GetString()!;
                    added.Add(new AddedToken(content, int.Parse(entry.Name, System.Globalization.CultureInfo.InvariantCulture), special));
                }
            }

            var tokenizerClass = config.TryGetProperty("tokenizer_class", out var c) ? c.GetString() : null;
            if (tokenizerClass is "Qwen2Tokenizer" or "Qwen2TokenizerFast")
                pattern = PreTokenizerPatterns.Qwen2;
            prefixSpace = config.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True;
        }

        return new BpeDefinition(vocab, merges, added, pattern, prefixSpace);
    }
}
