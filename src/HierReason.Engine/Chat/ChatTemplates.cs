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
