using HierReason.Training.Prm;
using Xunit;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Prm;

public sealed class PrmLossTests
{
    [Fact]
    public void Hard_labels_give_token_classification_cross_entropy()
    {
        // Logits (1, 3), label good: −log(e³ / (e + e³)) = log(1 + e⁻²) = 0.126928; logits (0, 0), label bad: log 2.
        using var logits = tensor(new float[] { 1, 3, 0, 0 }, [2, 2]);
        using var targets = tensor(new[] { PrmLoss.Target(1, 2), PrmLoss.Target(0, 2) }.SelectMany(r => r).Select(v => (float)v).ToArray(), [2, 2]);
        using var loss = PrmLoss.Compute(logits, targets);
        Assert.Equal((0.126928 + Math.Log(2)) / 2, loss.item<float>(), 5);
    }

    [Fact]
    public void A_soft_label_is_binary_cross_entropy_on_the_logit_difference()
    {
        // p = 0.7, logit difference d = 0.4: −(0.7 log σ(d) + 0.3 log σ(−d)).
        using var logits = tensor(new float[] { 0.1f, 0.5f }, [1, 2]);
        using var targets = tensor(PrmLoss.Target(0.7, 2).Select(v => (float)v).ToArray(), [1, 2]);
        using var loss = PrmLoss.Compute(logits, targets);
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        Assert.Equal(-(0.7 * Math.Log(Sigmoid(0.4)) + 0.3 * Math.Log(Sigmoid(-0.4))), loss.item<float>(), 5);
    }

    [Fact]
    public void Count_labels_are_one_hot_classes_and_out_of_range_labels_are_user_errors()
    {
        Assert.Equal([0.0, 0, 1, 0], PrmLoss.Target(2, 4));
        Assert.Throws<TrainingException>(() => PrmLoss.Target(1.5, 2));
        Assert.Throws<TrainingException>(() => PrmLoss.Target(0.5, 4));
        Assert.True(PrmLoss.IsPositive(3, 4, [2, 3]));
        Assert.False(PrmLoss.IsPositive(1, 4, [2, 3]));
        Assert.True(PrmLoss.IsPositive(0.5, 2, [1]));
    }
}
