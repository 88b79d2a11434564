using HierReason.Engine.Prm;

namespace HierReason.Training.Prm;

/// <summary>
/// The PRM trainer's knobs with TRL PRMTrainer's defaults where it has one (lr 1e-5, step_separator "\n", max_length 1024);
/// the tiny model's fresh head learns far faster at 1e-4 (README, "Process reward model").
/// </summary>
public sealed record PrmTrainSettings
{
    public double LearningRate { get; init; } = 1e-5;
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 8;
    public double HeldOut { get; init; } = 0.1;
    public long Seed { get; init; }
    public int MaxLength { get; init; } = StepSequence.DefaultMaxLength;
    public string Separator { get; init; } = StepSequence.DefaultSeparator;
    public int NumLabels { get; init; } = 2;
    public double WarmupRatio { get; init; } = 0.05;
    public double WeightDecay { get; init; }
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Print a progress line every this many optimiser steps (and at the last).</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Throws a <see cref="TrainingException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0 && LearningRate < 1)) throw new TrainingException($"--lr {LearningRate}: expected a rate in (0, 1)");
        if (Epochs < 1) throw new TrainingException($"--epochs {Epochs}: expected at least 1");
        if (BatchSize < 1) throw new TrainingException($"--batch-size {BatchSize}: expected at least 1");
        if (!(HeldOut >= 0 && HeldOut < 1)) throw new TrainingException($"--held-out {HeldOut}: expected a fraction in [0, 1)");
        if (MaxLength < 2) throw new TrainingException($"--max-length {MaxLength}: expected at least 2 tokens");
        if (Separator.Length == 0) throw new TrainingException("--separator: expected a non-empty step separator");
        if (NumLabels < 2) throw new TrainingException($"--num-labels {NumLabels}: expected at least 2");
        if (!(WarmupRatio >= 0 && WarmupRatio < 1)) throw new TrainingException($"warmup ratio {WarmupRatio}: expected [0, 1)");
        if (LogEvery < 1) throw new TrainingException($"log interval {LogEvery}: expected at least 1");
    }
}
