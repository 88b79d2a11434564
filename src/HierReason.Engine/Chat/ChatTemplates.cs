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

    /// <summary>The file newer transformers versions save a model's chat template in, beside tokenizer_config.json.</summary>
    public const string ChatTemplateFile = "chat_template.jinja";

    /// <summary>
    /// The template a model folder asks for: <c>tokenizer_config.json</c>'s <c>chat_template</c> (a string, or a list of
    /// <c>{name, template}</c> of which "default" is used) or, without one, <c>chat_template.jinja</c>. A value equal to one
    /// of <see cref="Names"/> selects that built-in template; any other text is rendered as Jinja
    /// (<see cref="JinjaChatTemplate"/>), and a construct outside the supported subset fails here naming the file, line
    /// and column. A folder without a template falls back to <see cref="ForTokenizer"/>.
    /// </summary>
    public static ChatTemplate ForModel(string modelDir, ITokenizer tokenizer)
    {
        var path = Path.Combine(modelDir, TokenizerFiles.TokenizerConfig);
        var jinjaPath = Path.Combine(modelDir, ChatTemplateFile);
        if (!File.Exists(path))
            return File.Exists(jinjaPath) ? new JinjaChatTemplate(IO.ModelFileText.Read(jinjaPath), jinjaPath, new Dictionary<string, object?>()) : ForTokenizer(tokenizer);
        using var config = TokenizerFiles.ReadJson(path);
        var root = config.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new EngineException($"{path}: expected a JSON object at the top level");
        var (text, source) = TemplateText(root, path);
        if (text is null && File.Exists(jinjaPath))
            (text, source) = (IO.ModelFileText.Read(jinjaPath), jinjaPath);
        if (text is null)
            return ForTokenizer(tokenizer);
        if (Names.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
            return Get(text.Trim());
        return new JinjaChatTemplate(text, source, SpecialTokens(root));
    }

    /// <summary>The <c>chat_template</c> text and how errors name it; null text when the key is absent or null.</summary>
    private static (string? Text, string Source) TemplateText(JsonElement root, string path)
    {
        if (!root.TryGetProperty("chat_template", out var template) || template.ValueKind == JsonValueKind.Null)
            return (null, path);
        if (template.ValueKind == JsonValueKind.String)
            return (template.GetString()!, path);
        if (template.ValueKind != JsonValueKind.Array)
            throw new EngineException($"{path}: chat_template: expected a string or a list of {{\"name\", \"template\"}} objects; found {template.ValueKind}");
        var names = new List<string>();
        var index = 0;
        foreach (var entry in template.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("template", out var text) || text.ValueKind != JsonValueKind.String)
                throw new EngineException($"{path}: chat_template[{index}]: expected an object with string fields \"name\" and \"template\"");
            names.Add(name.GetString()!);
            if (name.GetString() == "default")
                return (text.GetString()!, $"{path} (chat_template[{index}], \"default\")");
            index++;
        }

        throw new EngineException($"{path}: chat_template: the list has no template named \"default\" (found: {string.Join(", ", names)})");
    }

    /// <summary>The special tokens transformers passes to a chat template, from the config (string or {"content": …} form).</summary>
    private static Dictionary<string, object?> SpecialTokens(JsonElement root)
    {
        var tokens = new Dictionary<string, object?>();
        foreach (var key in new[] { "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token" })
        {
            if (TokenizerFiles.TokenText(root, key) is { } token)
                tokens[key] = token;
        }

        if (root.TryGetProperty("additional_special_tokens", out var extra) && extra.ValueKind == JsonValueKind.Array)
        {
            tokens["additional_special_tokens"] = extra.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()
                    : e.ValueKind == JsonValueKind.Object && e.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null)
                .Where(t => t is not null).Select(t => (object?)t).ToList();
        }

        return tokens;
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
