namespace HierReason.Training.Grpo;

/// <summary>
/// What one GRPO policy update did: the last pass's loss (null when the update was skipped), gradient norm and learning
/// rate, the metrics of <see cref="PolicyLoss"/> averaged over active tokens, the mean entropy of the full next-token
/// distribution on trained tokens (first pass), token counts, time split, and why the update was skipped if it was; and
/// the work as computed: micro-batches per pass, positions of the passes with gradients (padding included) and the FLOPs
/// of the passes with gradients (forward and backward) and of those without (old and reference log-probs).
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
    string? BadReason)
{
    public int MicroBatches { get; init; }
    /// <summary>The mean label KL (<see cref="GrpoOptions.LabelKl"/>) over the restricted positions of the last pass; null when off.</summary>
    public double? LabelKl { get; init; }
    public long TrainedPositions { get; init; }
    /// <summary>Loss-carrying tokens summed over the passes with gradients (each pass's active tokens).</summary>
    public long TrainedLossTokens { get; init; }
    public double TrainingFlops { get; init; }
    public double ScoringFlops { get; init; }
}
