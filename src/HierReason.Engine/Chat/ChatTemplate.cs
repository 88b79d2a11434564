using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Chat;

/// <summary>Turns a conversation into the prompt text a model was trained on, and names the tokens that end its turn.</summary>
public abstract class ChatTemplate
{
    /// <summary>The name this template is registered under in <see cref="ChatTemplates"/>.</summary>
    public abstract string Name { get; }

    /// <summary>Special tokens (as text) that end the assistant's turn, besides the tokenizer's end-of-sequence ids.</summary>
    public abstract IReadOnlyList<string> StopTokens { get; }

    /// <summary>Renders the conversation; with <paramref name="addGenerationPrompt"/> it ends where the assistant's reply begins.
    /// The text already holds any begin-of-sequence token, so encode it without adding special tokens.</summary>
    public abstract string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt);

    /// <summary>The ids generation stops on: the stop tokens this tokenizer knows, then its end-of-sequence ids.</summary>
    public IReadOnlyList<int> StopIds(ITokenizer tokenizer)
    {
        var ids = new List<int>();
        foreach (var token in StopTokens)
        {
            if (tokenizer.TokenToId(token) is { } id && !ids.Contains(id))
                ids.Add(id);
        }

        foreach (var id in tokenizer.EosIds)
        {
            if (!ids.Contains(id))
                ids.Add(id);
        }

        return ids;
    }

    /// <summary>Throws for an empty conversation, which is a caller's bug rather than a user's mistake.</summary>
    protected static void RequireMessages(IReadOnlyList<ChatMessage> messages)
    {
        if (messages.Count == 0)
            throw new ArgumentException("A conversation needs at least one message.", nameof(messages));
    }
}
