using System.Text.Json;

namespace HierReason.Engine.Tokenizers;

/// <summary>File names of a Hugging Face model folder's tokenizer and the JSON reading they share.</summary>
public static class TokenizerFiles
{
    /// <summary>The fast-tokenizer file (vocabulary, merges, added tokens, pre-tokenizer).</summary>
    public const string TokenizerJson = "tokenizer.json";

    /// <summary>Tokenizer class, special-token roles and the chat template.</summary>
    public const string TokenizerConfig = "tokenizer_config.json";

    /// <summary>Default generation settings, including eos/bos/pad ids.</summary>
    public const string GenerationConfig = "generation_config.json";

    /// <summary>The slow GPT-2 tokenizer's vocabulary.</summary>
    public const string VocabJson = "vocab.json";

    /// <summary>The slow GPT-2 tokenizer's merges, one "a b" pair a line.</summary>
    public const string MergesTxt = "merges.txt";

    /// <summary>Parses a JSON file, turning a syntax error into a message that names the file.</summary>
    public static JsonDocument ReadJson(string path)
    {
        try
        {
            return JsonDocument.Parse(IO.ModelFileText.Read(path, IO.ModelFileText.MaxTokenizerBytes), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new EngineException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>Reads a token written either as a string or as <c>{"content": "..."}</c>; null when absent.</summary>
    public static string? TokenText(JsonElement config, string key)
    {
        if (!config.TryGetProperty(key, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => null,
        };
    }

    /// <summary>Reads an id written as a number or an array of numbers (as <c>eos_token_id</c> may be).</summary>
    public static IReadOnlyList<int> Ids(JsonElement config, string key)
    {
        if (!config.TryGetProperty(key, out var value))
            return [];
        return value.ValueKind switch
        {
            JsonValueKind.Number => [value.GetInt32()],
            JsonValueKind.Array => [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt32())],
            _ => [],
        };
    }
}
