namespace HierReason.Training.Preference;

/// <summary>
/// The knobs of a DPO run with TRL's defaults (β 0.1, sigmoid loss, no label smoothing, max grad norm 1, no weight decay)
/// and seed 001's learning rate 2e-6 (a LoRA adapter wants far more, e.g. 1e-4).
/// </summary>
public sealed record DpoSettings
{
    public double Beta { get; init; } = DpoLoss.DefaultBeta;
    public double LabelSmoothing { get; init; }
    public double LearningRate { get; init; } = 2e-6;
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 4;
    public int WarmupSteps { get; init; }
    public double WeightDecay { get; init; }
    public double MaxGradNorm { get; init; } = 1.0;
    public int MaxSeqLen { get; init; } = 512;
    /// <summary>Shuffles the pairs each epoch (and seeds LoRA's initialisation and dropout).</summary>
    public long Seed { get; init; }
    /// <summary>Steps between checkpoints (0: only at the end).</summary>
    public int CheckpointEvery { get; init; }
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Throws <see cref="TrainingException"/> naming the first knob no run can use.</summary>
    public void Validate()
    {
        if (!(Beta > 0) || !double.IsFinite(Beta)) throw new TrainingException($"--beta: expected a positive number; found {Beta}");
        if (LabelSmoothing is < 0 or > 0.5 || double.IsNaN(LabelSmoothing)) throw new TrainingException($"--label-smoothing: expected a number in [0, 0.5]; found {LabelSmoothing}");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new TrainingException($"--lr: expected a positive number; found {LearningRate}");
        if (Epochs < 1) throw new TrainingException($"--epochs: expected a positive integer; found {Epochs}");
        if (BatchSize < 1) throw new TrainingException($"--batch-size: expected a positive integer; found {BatchSize}");
        if (WarmupSteps < 0) throw new TrainingException($"--warmup-steps: expected a non-negative integer; found {WarmupSteps}");
        if (MaxSeqLen < 2) throw new TrainingException($"--max-length: expected an integer of at least 2; found {MaxSeqLen}");
        if (CheckpointEvery < 0) throw new TrainingException($"--checkpoint-every: expected a non-negative integer; found {CheckpointEvery}");
        if (KeepCheckpoints < 1) throw new TrainingException($"--keep-checkpoints: expected a positive integer; found {KeepCheckpoints}");
    }

    /// <summary>Optimiser steps for <paramref name="pairs"/> pairs: ⌈pairs / batch⌉ per epoch.</summary>
    public int StepsFor(int pairs) => Epochs * ((pairs + BatchSize - 1) / BatchSize);
}
