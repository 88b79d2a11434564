using HierReason.Core.Prompts;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Sft;

/// <summary>One tokenised training example: prompt ids then completion ids; only the completion is learned.</summary>
public sealed record SftExample(int[] Ids, int PromptLength)
{
    public int CompletionLength => Ids.Length - PromptLength;

    /// <summary>
    /// The chat-rendered task prompt followed by the item's gold solution trace and the template's end-of-turn token,
    /// cut to <paramref name="maxSeqLen"/> tokens (the completion's tail is dropped first).
    /// </summary>
    public static SftExample For(TaskItem item, ITokenizer tokenizer, ChatTemplate template, int maxSeqLen)
    {
        var prompt = tokenizer.Encode(PromptText(item.Question, template));
        var completion = tokenizer.Encode(item.Solution + EndOfTurn(template, tokenizer));
        var ids = prompt.Concat(completion).Take(maxSeqLen).ToArray();
        if (prompt.Length >= ids.Length)
            throw new PromptTooLongException(item.Id, prompt.Length, maxSeqLen);
        return new SftExample(ids, prompt.Length);
    }

    /// <summary>The text a model sees before it answers: the universal task prompt as the user turn, plus the assistant header.</summary>
    public static string PromptText(string question, ChatTemplate template) =>
        template.Render([ChatMessage.User(TaskPrompt.For(question))], addGenerationPrompt: true);

    /// <summary>The token that ends an assistant turn (<c>&lt;|im_end|&gt;</c> for ChatML), as text; the tokenizer's eos when the template has none.</summary>
    public static string EndOfTurn(ChatTemplate template, ITokenizer tokenizer) =>
        template.StopTokens.FirstOrDefault(t => tokenizer.TokenToId(t) is not null)
        ?? (tokenizer.EosIds.Count > 0 ? tokenizer.IdToToken(tokenizer.EosIds[0]) ?? "" : "");
}
