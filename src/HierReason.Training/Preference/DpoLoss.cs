using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Preference;

/// <summary>
/// TRL's sigmoid DPO loss on summed response log-probs: with z = β·[(log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r))],
/// L = mean over pairs of −(1 − ε)·log σ(z) − ε·log σ(−z) (ε: label smoothing, 0 by default), and TRL's reward metrics.
/// </summary>
public static class DpoLoss
{
    /// <summary>TRL's default β.</summary>
    public const double DefaultBeta = 0.1;

    /// <param name="policyChosen">(B) summed log-probs of the chosen responses under the policy (with the graph).</param>
    /// <param name="policyRejected">(B) the same for the rejected responses.</param>
    /// <param name="referenceChosen">(B) the chosen responses under the reference (no graph).</param>
    /// <param name="referenceRejected">(B) the rejected responses under the reference.</param>
    public static DpoLossResult Compute(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected,
        double beta = DefaultBeta, double labelSmoothing = 0.0)
    {
        if (!(beta > 0) || !double.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be a positive number");
        if (labelSmoothing is < 0 or > 0.5 || double.IsNaN(labelSmoothing))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 0.5]");
        var b = policyChosen.shape[0];
        foreach (var t in new[] { policyRejected, referenceChosen, referenceRejected })
            if (t.dim() != 1 || t.shape[0] != b) throw new ArgumentException($"expected four (B) tensors with B = {b}; found shape ({string.Join(", ", t.shape)})");
        using var scope = NewDisposeScope();
        var chosenRatio = policyChosen - referenceChosen;                                  // (B) log π(c) − log π_ref(c)
        var rejectedRatio = policyRejected - referenceRejected;                            // (B)
        var z = beta * (chosenRatio - rejectedRatio);                                      // (B)
        var losses = -(1 - labelSmoothing) * nn.functional.logsigmoid(z) - labelSmoothing * nn.functional.logsigmoid(-z);  // (B)
        var loss = losses.mean();                                                          // ()
        using var noGrad = no_grad();
        var rewardsChosen = beta * chosenRatio.detach();                                   // (B)
        var rewardsRejected = beta * rejectedRatio.detach();                               // (B)
        var metrics = new DpoMetrics(
            rewardsChosen.mean().ToDouble(),
            rewardsRejected.mean().ToDouble(),
            // TRL counts a pair as ranked right only when the chosen reward is strictly higher.
            (rewardsChosen > rewardsRejected).to(ScalarType.Float64).mean().ToDouble(),
            (rewardsChosen - rewardsRejected).mean().ToDouble(),
            policyChosen.detach().mean().ToDouble(),
            policyRejected.detach().mean().ToDouble(),
            (int)b);
        return new DpoLossResult(loss.MoveToOuterDisposeScope(), metrics);
    }
}
