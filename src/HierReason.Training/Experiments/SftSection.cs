using System.Text.Json.Nodes;
using HierReason.Core.Episodes;

namespace HierReason.Training.Experiments;

/// <summary>
/// Supervised fine-tuning knobs; <see cref="BatchSize"/> is per micro-batch, an optimiser step sees <c>BatchSize × GradAccum</c>
/// examples. <see cref="Environment"/> names the strategy whose gold episodes are learned (vanilla: the gold solution traces;
/// others: multi-segment episodes whose environment segments are masked). <see cref="BucketSteps"/> is the length-bucketing
/// window in optimiser steps (<see cref="Sft.SftBuckets"/>); 1 (the default) trains the examples in data order.
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
    JsonObject? EnvironmentOptions = null,
    int BucketSteps = SftSection.DefaultBucketSteps)
{
    /// <summary>
    /// Data order by default: batches of one task learned markedly slower per step on tiny-sft (docs/PERFORMANCE.md), and
    /// <see cref="Sft.SftForward"/> already runs each task's shared start once in a mixed batch, so bucketing adds little.
    /// </summary>
    public const int DefaultBucketSteps = 1;
}
