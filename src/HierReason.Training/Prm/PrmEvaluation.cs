using System.Globalization;

namespace HierReason.Training.Prm;

/// <summary>
/// A PRM's step-level quality on labelled data: mean loss (null when only scores were kept), accuracy at p ≥ 0.5, ROC AUC (null
/// when one class is absent) and the share of good steps.
/// </summary>
public sealed record PrmEvaluation(int Trajectories, int Steps, double? Loss, double Accuracy, double? Auc, double PositiveRate)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Steps} steps of {Trajectories} trajectories: accuracy {Accuracy:0.000}, AUC {(Auc is { } auc ? auc.ToString("0.000", CultureInfo.InvariantCulture) : "n/a (one class)")}" +
        $"{(Loss is { } loss ? $", loss {loss:0.0000}" : "")}, positive rate {PositiveRate:0.000}");
}
