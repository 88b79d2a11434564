using System.Text.Json;

namespace HierReason.Engine.Tokenizers;

/// <summary>Loads the tokenizer of a model folder, choosing the format by the files present.</summary>
public static class TokenizerLoader
{
    /// <summary>Loads from <c>tokenizer_config.json</c> (our byte tokenizer), <c>tokenizer.json</c>, or <c>vocab.json</c> + <c>merges.txt</c>.</summary>
    public static ITokenizer Load(string modelDir)
    {
        if (!Directory.Exists(modelDir))
            throw new EngineException($"Model folder '{modelDir}' does not exist.");

        using var config = Optional(Path.Combine(modelDir, TokenizerFiles.TokenizerConfig));
        using var generation = Optional(Path.Combine(modelDir, TokenizerFiles.GenerationConfig));
        var configRoot = config?.RootElement;

        if (configRoot is { } c && c.TryGetProperty("tokenizer_class", out var cls) && cls.GetString() == ByteTokenizer.TokenizerClass)
            return ByteTokenizer.FromConfig(c, Path.Combine(modelDir, TokenizerFiles.TokenizerConfig));

        BpeDefinition definition;
        string? prepended = null;
        var tokenizerJson = Path.Combine(modelDir, TokenizerFiles.TokenizerJson);
        var vocabJson = Path.Combine(modelDir, TokenizerFiles.VocabJson);
        var mergesTxt = Path.Combine(modelDir, TokenizerFiles.MergesTxt);
        if (File.Exists(tokenizerJson))
            definition = HfTokenizerJson.Read(tokenizerJson, out prepended);
        else if (File.Exists(vocabJson) && File.Exists(mergesTxt))
            definition = VocabMergesFiles.Read(vocabJson, mergesTxt, configRoot);
        else
        {
            throw new EngineException(
                $"No tokenizer in '{modelDir}': looked for {TokenizerFiles.TokenizerConfig} with tokenizer_class " +
                $"'{ByteTokenizer.TokenizerClass}', {TokenizerFiles.TokenizerJson}, or {TokenizerFiles.VocabJson} + {TokenizerFiles.MergesTxt}.");
        }

        var roles = ResolveRoles(definition, configRoot, generation?.RootElement, prepended, modelDir);
        return new ByteLevelBpeTokenizer(definition, roles);
    }

    private static JsonDocument? Optional(string path) => IO.ModelFileText.Exists(path) ? TokenizerFiles.ReadJson(path) : null;

    // tokenizer_config names tokens by text, generation_config by id; a model's eos set is the union of both.
    private static SpecialRoles ResolveRoles(BpeDefinition definition, JsonElement? config, JsonElement? generation, string? prepended, string modelDir)
    {
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in definition.Vocab)
            byText[token] = id;
        foreach (var token in definition.AddedTokens)
            byText[token.Content] = token.Id;
        int? Id(string? text) => text is not null && byText.TryGetValue(text, out var id) ? id : null;

        var eos = new List<int>();
        if (generation is { } g)
            eos.AddRange(TokenizerFiles.Ids(g, "eos_token_id"));
        if (config is { } c1 && Id(TokenizerFiles.TokenText(c1, "eos_token")) is { } configEos && !eos.Contains(configEos))
            eos.Insert(0, configEos);
        if (eos.Count == 0 && new[] { "<|endoftext|>", "<|end_of_text|>", "</s>" }.Select(Id).FirstOrDefault(x => x is not null) is { } fallback)
            eos.Add(fallback);
        if (eos.Count == 0)
            throw new EngineException($"No end-of-sequence token found for '{modelDir}': set eos_token in {TokenizerFiles.TokenizerConfig} or eos_token_id in {TokenizerFiles.GenerationConfig}.");

        var bos = Id(prepended)
            ?? (config is { } c2 ? Id(TokenizerFiles.TokenText(c2, "bos_token")) : null)
            ?? (generation is { } g2 ? TokenizerFiles.Ids(g2, "bos_token_id").Cast<int?>().FirstOrDefault() : null);
        var addBos = prepended is not null
            || (config is { } c3 && c3.TryGetProperty("add_bos_token", out var ab) && ab.ValueKind == JsonValueKind.True);
        var pad = (config is { } c4 ? Id(TokenizerFiles.TokenText(c4, "pad_token")) : null)
            ?? (generation is { } g3 ? TokenizerFiles.Ids(g3, "pad_token_id").Cast<int?>().FirstOrDefault() : null)
            ?? eos[0];
        return new SpecialRoles(eos, pad, bos, addBos && bos is not null);
    }
}
