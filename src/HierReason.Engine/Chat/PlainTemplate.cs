using System.Text;

namespace HierReason.Engine.Chat;

/// <summary>Plain completion: each message's content followed by a newline, no special tokens (base models, tiny models).</summary>
public sealed class PlainTemplate : ChatTemplate
{
    /// <inheritdoc />
    public override string Name => "plain";

    /// <inheritdoc />
    public override IReadOnlyList<string> StopTokens { get; } = [];

    /// <inheritdoc />
    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        RequireMessages(messages);
        var text = new StringBuilder();
        foreach (var message in messages)
            text.Append(message.Content).Append('\n');
        return text.ToString();
    }
}
