namespace HierReason.Engine.Generation;

/// <summary>Why a completion ended: an EOS token or the caller's stop check (<see cref="Stop"/>), or the token budget (<see cref="Length"/>).</summary>
public enum FinishReason
{
    Stop,
    Length,
}

/// <summary>
/// One sampled completion: its token ids (an EOS that ended it included), the log-probability of each sampled
/// token under the temperature-scaled distribution (before top-k/top-p truncation, as TRL/vLLM report it), and why it ended.
/// </summary>
public sealed record GeneratedSequence(int PromptIndex, int SampleIndex, IReadOnlyList<int> TokenIds, IReadOnlyList<float> LogProbs, FinishReason FinishReason);
