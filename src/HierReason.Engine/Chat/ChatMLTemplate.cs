using System.Text;

namespace HierReason.Engine.Chat;

/// <summary>ChatML as Qwen uses it: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message.</summary>
/// <param name="defaultSystemPrompt">A system message put first when the conversation has none (Qwen2.5 does this); null adds nothing.</param>
public sealed class ChatMLTemplate(string? defaultSystemPrompt = null) : ChatTemplate
{
    /// <summary>Qwen2.5-Instruct's default system prompt.</summary>
    public const string Qwen25SystemPrompt = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    /// <inheritdoc />
    public override string Name => defaultSystemPrompt == Qwen25SystemPrompt ? "qwen2.5" : "chatml";

    /// <summary>The system prompt used when the conversation has none, if any.</summary>
    public string? DefaultSystemPrompt => defaultSystemPrompt;

    /// <inheritdoc />
    public override IReadOnlyList<string> StopTokens { get; } = ["<|im_end|>", "<|endoftext|>"];

    /// <inheritdoc />
    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        RequireMessages(messages);
        var text = new StringBuilder();
        if (defaultSystemPrompt is not null && messages[0].Role != "system")
            Turn(text, "system", defaultSystemPrompt);
        foreach (var message in messages)
            Turn(text, message.Role, message.Content);
        if (addGenerationPrompt)
            text.Append("<|im_start|>assistant\n");
        return text.ToString();
    }

    private static void Turn(StringBuilder text, string role, string content) =>
        text.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append("<|im_end|>\n");
}
