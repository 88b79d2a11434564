using HierReason.Core.Episodes;
using HierReason.Engine.Chat;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Sft;

namespace HierReason.Training.Preference;

/// <summary>
/// A tokenised preference pair: two rows that share the prompt, each with the mask of its response tokens (as an
/// <see cref="SftExample"/>: prompt tokens carry no loss, response tokens do, unless an episode masks them).
/// </summary>
public sealed record DpoExample(SftExample Chosen, SftExample Rejected)
{
    /// <summary>
    /// The pair's prompt rendered as SFT renders a question (<see cref="SftExample.PromptText"/>), then the Step-DPO prefix
    /// (<see cref="PreferencePair.InitialReasonSteps"/>, masked) and each response followed by the template's end-of-turn
    /// token, as TRL appends EOS. Responses are cut to <paramref name="maxSeqLen"/> tokens in all.
    /// </summary>
    public static DpoExample For(PreferencePair pair, ITokenizer tokenizer, ChatTemplate template, int maxSeqLen)
    {
        var prompt = tokenizer.Encode(SftExample.PromptText(pair.Prompt, template) + (pair.InitialReasonSteps ?? ""));
        if (prompt.Length >= maxSeqLen)
            throw new TrainingException($"a pair's prompt is {prompt.Length} tokens, at least --max-length {maxSeqLen}; raise it");
        var end = SftExample.EndOfTurn(template, tokenizer);
        SftExample Row(string response) =>
            new(prompt.Concat(tokenizer.Encode(response + end)).Take(maxSeqLen).ToArray(), prompt.Length);
        return new DpoExample(Row(pair.Chosen), Row(pair.Rejected));
    }

    /// <summary>
    /// A pair of episodes of the same prompt: their token ids as sampled, learned where the episode's loss mask is 1
    /// (the policy's tokens; other actors' segments stay masked).
    /// </summary>
    public static DpoExample FromEpisodes(Episode chosen, Episode rejected)
    {
        if (chosen.Prompt.TokenIds is not { } a || rejected.Prompt.TokenIds is not { } b || !a.SequenceEqual(b))
            throw new ArgumentException("the chosen and rejected episodes of a pair must share their prompt, with token ids");
        return new DpoExample(Row(chosen), Row(rejected));
    }

    private static SftExample Row(Episode episode)
    {
        var prompt = episode.Prompt.TokenIds ?? throw new ArgumentException("an episode needs token ids to train on");
        var mask = episode.CompletionLossMask.Select(m => m != 0).ToArray();
        return new SftExample(prompt.Concat(episode.CompletionTokenIds).ToArray(), prompt.Count, mask.All(m => m) ? null : mask);
    }
}
