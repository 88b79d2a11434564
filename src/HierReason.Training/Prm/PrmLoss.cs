using static TorchSharp.torch;

namespace HierReason.Training.Prm;

/// <summary>
/// The PRM's loss at the labelled steps: cross-entropy against a target distribution, −Σ_c q_c log softmax(z)_c averaged over
/// steps. A hard label is a one-hot q (TRL's token-classification CE); a soft label p of a two-class head is q = (1 − p, p),
/// which for two classes is exactly BCE on the logit difference.
/// </summary>
public static class PrmLoss
{
    /// <summary>Mean soft-target cross-entropy; <paramref name="logits"/> (N, L), <paramref name="targets"/> (N, L) rows summing to 1.</summary>
    public static Tensor Compute(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logProbs = logits.to(ScalarType.Float32).log_softmax(-1);                          // (N, L)
        return (-(targets * logProbs).sum(-1)).mean().MoveToOuterDisposeScope();               // ()
    }

    /// <summary>
    /// The target row of one step label for a head of <paramref name="numLabels"/> classes: (1 − p, p) for two classes,
    /// one-hot at the class id otherwise.
    /// </summary>
    public static double[] Target(double label, int numLabels)
    {
        var row = new double[numLabels];
        if (numLabels == 2)
        {
            if (label > 1) throw new TrainingException($"label {StepwiseData.Format(label)}: a two-class PRM takes true/false or a soft label in [0, 1]");
            row[0] = 1 - label;
            row[1] = label;
            return row;
        }
        if (label != Math.Floor(label) || label >= numLabels)
            throw new TrainingException($"label {StepwiseData.Format(label)}: a {numLabels}-class PRM takes class ids 0 … {numLabels - 1}");
        row[(int)label] = 1;
        return row;
    }

    /// <summary>Whether a label counts as a good step: p ≥ 0.5 for two classes, membership of <paramref name="probLabels"/> otherwise.</summary>
    public static bool IsPositive(double label, int numLabels, IReadOnlyList<int> probLabels) =>
        numLabels == 2 ? label >= 0.5 : probLabels.Contains((int)label);
}
