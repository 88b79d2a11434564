using HierReason.Core.Episodes;
using HierReason.Core.Prompts;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Sft;

/// <summary>
/// One tokenised training example: prompt ids then completion ids. Every completion token is learned unless
/// <paramref name="Learned"/> says otherwise (a multi-segment episode: other actors' tokens are masked).
/// </summary>
/// <param name="Learned">Per completion token (index 0 = the first after the prompt): whether it carries loss; null = all.</param>
public sealed record SftExample(int[] Ids, int PromptLength, bool[]? Learned = null)
{
    public int CompletionLength => Ids.Length - PromptLength;

    /// <summary>Whether the token at position <paramref name="index"/> of <see cref="Ids"/> is learned.</summary>
    public bool IsLearned(int index) => index >= PromptLength && (Learned is null || Learned[index - PromptLength]);

    /// <summary>
    /// A gold episode of <paramref name="strategy"/> for <paramref name="item"/>: the strategy's prompt rendered through the
    /// chat template, then the gold segments; the policy's segments are learned (the last one followed by the template's
    /// end-of-turn token), every other actor's are masked. Cut to <paramref name="maxSeqLen"/> tokens. Null when the
    /// strategy has no gold episode for the item. For vanilla this is exactly <see cref="For"/>.
    /// </summary>
    public static SftExample? ForEpisode(TaskItem item, EpisodeStrategy strategy, ITokenizer tokenizer, ChatTemplate template, int maxSeqLen)
    {
        if (strategy.Gold(item) is not { Count: > 0 } segments) return null;
        var prompt = tokenizer.Encode(template.Render([ChatMessage.User(strategy.Prompt(item))], addGenerationPrompt: true));
        var lastPolicy = -1;
        for (var i = 0; i < segments.Count; i++)
            if (segments[i].Actor == strategy.PolicyActor) lastPolicy = i;
        if (lastPolicy < 0) throw new TrainingException($"item {item.Id}: the gold episode of strategy '{strategy.Name}' has no {strategy.PolicyActor} segment to learn");
        var ids = new List<int>(prompt);
        var learned = new List<bool>();
        for (var i = 0; i < segments.Count; i++)
        {
            var policy = segments[i].Actor == strategy.PolicyActor;
            var text = i == lastPolicy ? segments[i].Text + EndOfTurn(template, tokenizer) : segments[i].Text;
            var segmentIds = tokenizer.Encode(text);
            ids.AddRange(segmentIds);
            learned.AddRange(Enumerable.Repeat(policy, segmentIds.Length));
        }
        var kept = Math.Min(ids.Count, maxSeqLen);
        if (prompt.Length >= kept)
            throw new TrainingException($"item {item.Id}: its prompt alone is {prompt.Length} tokens, at least max_seq_len {maxSeqLen}; raise sft.max_seq_len");
        var mask = learned.Take(kept - prompt.Length).ToArray();
        return new SftExample(ids.Take(kept).ToArray(), prompt.Length, mask.All(m => m) ? null : mask);
    }

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
