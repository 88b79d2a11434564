using System.Text.Json.Nodes;
using HierReason.Core.Episodes;

namespace HierReason.Training.Experiments;

/// <summary>
/// Supervised fine-tuning knobs; <see cref="BatchSize"/> is per micro-batch, an optimiser step sees <c>BatchSize × GradAccum</c>
/// examples. <see cref="Environment"/> names the strategy whose gold episodes are learned (vanilla: the gold solution traces;
/// others: multi-segment episodes whose environment segments are masked).
/// </summary>
public sealed record SftSection(
    int Steps,
    int BatchSize,
    int GradAccum,
    double LearningRate,
    int WarmupSteps,
    double WeightDecay,
    double MaxGradNorm,
    int MaxSeqLen,
    double MinLearningRateRatio = 0.0,
    string Environment = EpisodeStrategy.VanillaName,
    JsonObject? EnvironmentOptions = null);
