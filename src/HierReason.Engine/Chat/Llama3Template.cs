using System.Text;

namespace HierReason.Engine.Chat;

/// <summary>Llama 3 Instruct's format: a begin token, then a header and trimmed content ending in <c>&lt;|eot_id|&gt;</c> per message.</summary>
public sealed class Llama3Template : ChatTemplate
{
    /// <inheritdoc />
    public override string Name => "llama3";

    /// <inheritdoc />
    public override IReadOnlyList<string> StopTokens { get; } = ["<|eot_id|>", "<|end_of_text|>"];

    /// <inheritdoc />
    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        RequireMessages(messages);
        var text = new StringBuilder("<|begin_of_text|>");
        foreach (var message in messages)
        {
            // Meta's template trims each message's content.
            Header(text, message.Role).Append(message.Content.Trim()).Append("<|eot_id|>");
        }

        if (addGenerationPrompt)
            Header(text, "assistant");
        return text.ToString();
    }

    private static StringBuilder Header(StringBuilder text, string role) =>
        text.Append("<|start_header_id|>").Append(role).Append("<|end_header_id|>\n\n");
}
