namespace HierReason.Engine.Inference;

/// <summary>
/// One generated completion: its text (cut before a stop string; no end-of-sequence token), the sampled token ids
/// (an EOS that ended it, or the tokens that spelled a stop string, included), the log-probability of each id,
/// why it ended ("stop" or "length") and how many tokens its prompt had.
/// </summary>
public sealed record TextCompletion(string Text, int[] TokenIds, float[] LogProbs, string FinishReason, int PromptTokens)
{
    /// <summary>The finish reason when an end-of-sequence token or a stop string ended the completion.</summary>
    public const string Stopped = "stop";

    /// <summary>The finish reason when the token budget ran out.</summary>
    public const string Length = "length";
}
