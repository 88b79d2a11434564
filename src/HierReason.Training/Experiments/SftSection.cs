using System.Text.Json.Nodes;
using HierReason.Core.Episodes;

namespace HierReason.Training.Experiments;

/// <summary>
/// Supervised fine-tuning knobs; <see cref="BatchSize"/> is per micro-batch, an optimiser step sees <c>BatchSize × GradAccum</c>
/// examples. <see cref="Environment"/> names the strategy whose gold episodes are learned (vanilla: the gold solution traces;
/// others: multi-segment episodes whose environment segments are masked). <see cref="BucketSteps"/> is the length-bucketing
/// window in optimiser steps (<see cref="Sft.SftBuckets"/>); 1 trains the examples in data order.
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
    /// <summary>Eight steps of examples per window: enough for every task of a small mixture to fill whole batches, little enough that the data order moves by seconds of training.</summary>
    public const int DefaultBucketSteps = 8;
}
