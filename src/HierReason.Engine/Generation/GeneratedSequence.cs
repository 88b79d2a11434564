namespace HierReason.Engine.Generation;

/// <summary>
/// One sampled completion: its token ids (an EOS that ended it included), the log-probability of each sampled
/// token under the temperature-scaled distribution (before top-k/top-p truncation, as TRL/vLLM report it), and why it ended.
/// <paramref name="ElapsedMs"/>: from the start of the batch's generation (prefill included) until this row's last token was
/// sampled — a row that stops early in a batch finishes early.
/// </summary>
public sealed record GeneratedSequence(int PromptIndex, int SampleIndex, IReadOnlyList<int> TokenIds, IReadOnlyList<float> LogProbs, FinishReason FinishReason,
    double? ElapsedMs = null);
