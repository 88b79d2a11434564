namespace HierReason.Training.Experiments;

/// <summary>Supervised fine-tuning knobs; <see cref="BatchSize"/> is per micro-batch, an optimiser step sees <c>BatchSize × GradAccum</c> examples.</summary>
public sealed record SftSection(
    int Steps,
    int BatchSize,
    int GradAccum,
    double LearningRate,
    int WarmupSteps,
    double WeightDecay,
    double MaxGradNorm,
    int MaxSeqLen,
    double MinLearningRateRatio = 0.0);
