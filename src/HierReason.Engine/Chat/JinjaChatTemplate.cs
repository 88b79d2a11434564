using HierReason.Engine.Chat.Jinja;

namespace HierReason.Engine.Chat;

/// <summary>
/// A model's own Jinja chat template (tokenizer_config.json's <c>chat_template</c>), rendered as transformers'
/// <c>apply_chat_template</c> does: variables <c>messages</c>, <c>add_generation_prompt</c>, <c>tools</c> and
/// <c>documents</c> (none), and the special tokens the config names (<c>bos_token</c>, <c>eos_token</c>, …).
/// </summary>
/// <remarks>
/// The end-of-turn token is found by rendering a probe conversation (a user turn, then an assistant turn) and taking
/// the first special token the template writes right after the assistant's text: a known end marker
/// (<c>&lt;|im_end|&gt;</c>, <c>&lt;|eot_id|&gt;</c>, <c>&lt;end_of_turn&gt;</c>, <c>&lt;|end|&gt;</c>, …), the config's
/// eos token or one of its additional special tokens. <see cref="StopTokens"/> is that token, then the eos token, then
/// the known end markers the template text contains.
/// </remarks>
public sealed class JinjaChatTemplate : ChatTemplate
{
    /// <summary>Special tokens that end a turn in the chat formats in use, searched for in the probe render.</summary>
    public static readonly IReadOnlyList<string> KnownEndMarkers =
        ["<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end|>", "<end_of_turn>", "<｜end▁of▁sentence｜>", "<|end_of_text|>", "<|endoftext|>", "</s>"];

    private const string Probe = "HIERREASON_PROBE_REPLY";

    private readonly JinjaTemplate _template;
    private readonly IReadOnlyDictionary<string, object?> _tokens;

    /// <summary>Parses <paramref name="text"/> (a syntax error or an unsupported construct throws, naming
    /// <paramref name="source"/>, line and column); <paramref name="specialTokens"/> become template variables.</summary>
    public JinjaChatTemplate(string text, string source, IReadOnlyDictionary<string, object?> specialTokens)
    {
        _template = JinjaTemplate.Parse(text, source);
        _tokens = specialTokens;
        Source = source;
        EndOfTurn = FindEndOfTurn();
        var eos = specialTokens.GetValueOrDefault("eos_token") as string;
        StopTokens = new[] { EndOfTurn, eos }
            .Concat(KnownEndMarkers.Where(m => _template.Text.Contains(m, StringComparison.Ordinal)))
            .OfType<string>().Where(t => t.Length > 0).Distinct().ToList();
    }

    /// <inheritdoc />
    public override string Name => "jinja";

    /// <summary>Where the template came from (the tokenizer_config.json path), as errors name it.</summary>
    public string Source { get; }

    /// <summary>The token the template writes after an assistant's reply, or null when the probe found none.</summary>
    public string? EndOfTurn { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> StopTokens { get; }

    /// <inheritdoc />
    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        RequireMessages(messages);
        var variables = new Dictionary<string, object?>(_tokens)
        {
            ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
            ["tools"] = null,
            ["documents"] = null,
        };
        return _template.Render(variables);
    }

    private string? FindEndOfTurn()
    {
        string text;
        try
        {
            text = Render([ChatMessage.User("Hello"), ChatMessage.Assistant(Probe)], addGenerationPrompt: false);
        }
        catch (EngineException)
        {
            return null;
        }

        var at = text.IndexOf(Probe, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var tail = text[(at + Probe.Length)..].TrimStart();
        var candidates = KnownEndMarkers.Concat(_tokens.Values.OfType<string>())
            .Concat(_tokens.Values.OfType<List<object?>>().SelectMany(l => l.OfType<string>()));
        return candidates.Where(c => c.Length > 0 && tail.StartsWith(c, StringComparison.Ordinal))
            .OrderByDescending(c => c.Length).FirstOrDefault();
    }
}
