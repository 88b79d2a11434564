namespace HierReason.Engine.Generation;

/// <summary>
/// One sampled completion: its token ids (an EOS that ended it included), the log-probability of each sampled
/// token under the temperature-scaled distribution (before top-k/top-p truncation, as TRL/vLLM report it), and why it ended.
/// </summary>
public sealed record GeneratedSequence(int PromptIndex, int SampleIndex, IReadOnlyList<int> TokenIds, IReadOnlyList<float> LogProbs, FinishReason FinishReason);
