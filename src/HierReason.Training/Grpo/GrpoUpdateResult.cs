namespace HierReason.Training.Grpo;

/// <summary>
/// What one GRPO policy update did: the last pass's loss (null when the update was skipped), gradient norm and learning
/// rate, the metrics of <see cref="PolicyLoss"/> averaged over active tokens, the mean entropy of the full next-token
/// distribution on trained tokens (first pass), token counts, time split, and why the update was skipped if it was.
/// </summary>
public sealed record GrpoUpdateResult(
    double? Loss,
    double? GradNorm,
    double LearningRate,
    double? Kl,
    double? Entropy,
    double ClipRatio,
    double ClipLow,
    double ClipHigh,
    long ActiveTokens,
    long TrainedTokens,
    long ScoredTokens,
    double ScoringSeconds,
    double TrainingSeconds,
    string? BadReason);
