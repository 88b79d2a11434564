using System.Text.Json;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Chat;

/// <summary>The chat templates by name, as <c>models.json</c> and <c>tokenizer_config.json</c> refer to them.</summary>
public static class ChatTemplates
{
    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["chatml", "qwen2.5", "llama3", "plain"];

    /// <summary>The template of that name (case-insensitive); an unknown name lists the known ones.</summary>
    public static ChatTemplate Get(string name) =>
        name.ToLowerInvariant() switch
        {
            "chatml" => new ChatMLTemplate(),
            "qwen2.5" => new ChatMLTemplate(ChatMLTemplate.Qwen25SystemPrompt),
            "llama3" => new Llama3Template(),
            "plain" => new PlainTemplate(),
            _ => throw new EngineException($"Unknown chat template '{name}'; expected one of: {string.Join(", ", Names)}."),
        };

    /// <summary>The template a model folder asks for: a name in <c>tokenizer_config.json</c>'s <c>chat_template</c>, or the
    /// format its Jinja template writes (recognised by its markers), else a guess from the tokenizer.</summary>
    public static ChatTemplate ForModel(string modelDir, ITokenizer tokenizer)
    {
        var path = Path.Combine(modelDir, TokenizerFiles.TokenizerConfig);
        if (!File.Exists(path))
            return ForTokenizer(tokenizer);
        using var config = TokenizerFiles.ReadJson(path);
        if (!config.RootElement.TryGetProperty("chat_template", out var template) || template.ValueKind != JsonValueKind.String)
            return ForTokenizer(tokenizer);
        var text = template.GetString()!;
        if (Names.Contains(text, StringComparer.OrdinalIgnoreCase))
            return Get(text);
        if (text.Contains("<|im_start|>", StringComparison.Ordinal))
        {
            // Qwen2.5's own template writes its default system prompt; plain ChatML templates do not.
            var qwen = text.Contains(ChatMLTemplate.Qwen25SystemPrompt, StringComparison.Ordinal);
            return new ChatMLTemplate(qwen ? ChatMLTemplate.Qwen25SystemPrompt : null);
        }

        if (text.Contains("<|start_header_id|>", StringComparison.Ordinal))
            return new Llama3Template();
        return ForTokenizer(tokenizer);
    }

    /// <summary>Guesses the template from the tokenizer's special tokens: ChatML, then Llama 3, else plain.</summary>
    public static ChatTemplate ForTokenizer(ITokenizer tokenizer)
    {
        if (tokenizer is ByteTokenizer bytes && Names.Contains(bytes.ChatTemplate))
            return Get(bytes.ChatTemplate);
        if (tokenizer.TokenToId("<|im_start|>") is not null && tokenizer.TokenToId("<|im_end|>") is not null)
            return new ChatMLTemplate();
        if (tokenizer.TokenToId("<|start_header_id|>") is not null && tokenizer.TokenToId("<|eot_id|>") is not null)
            return new Llama3Template();
        return new PlainTemplate();
    }
}
