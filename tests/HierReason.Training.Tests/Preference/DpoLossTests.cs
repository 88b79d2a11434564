using HierReason.Training.Preference;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Preference;

public class DpoLossTests
{
    // Two pairs. Pair 0: log π(c) − log π_ref(c) = −1 − (−1.5) = 0.5, log π(r) − log π_ref(r) = −2 − (−1.5) = −0.5, difference 1.
    // Pair 1: −3 − (−2) = −1 and −1 − (−2) = 1, difference −2.
    private static readonly double[] PolicyChosen = [-1.0, -3.0];
    private static readonly double[] PolicyRejected = [-2.0, -1.0];
    private static readonly double[] ReferenceChosen = [-1.5, -2.0];
    private static readonly double[] ReferenceRejected = [-1.5, -2.0];

    private static Tensor T(double[] values, bool grad = false) => tensor(values, dtype: ScalarType.Float64).requires_grad_(grad);

    private static DpoLossResult Run(double beta, double smoothing = 0, Tensor? chosen = null) =>
        DpoLoss.Compute(chosen ?? T(PolicyChosen), T(PolicyRejected), T(ReferenceChosen), T(ReferenceRejected), beta, smoothing);

    // −log σ(z) = log(1 + e^−z).
    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [Fact]
    public void Beta_0_1_gives_the_mean_of_minus_log_sigmoid_of_beta_times_the_log_ratio_difference()
    {
        using var result = Run(0.1);
        // z = (0.1, −0.2): (log(1 + e^−0.1) + log(1 + e^0.2)) / 2 = (0.6443967 + 0.7981389) / 2.
        Assert.Equal((0.6443966600735709 + 0.7981388693815917) / 2, result.Loss.ToDouble(), 12);
    }

    [Fact]
    public void Beta_0_5_scales_the_log_ratio_difference_inside_the_sigmoid()
    {
        using var result = Run(0.5);
        // z = (0.5, −1).
        Assert.Equal((Softplus(-0.5) + Softplus(1.0)) / 2, result.Loss.ToDouble(), 12);
        Assert.Equal(0.893669, result.Loss.ToDouble(), 6);
    }

    [Fact]
    public void Label_smoothing_mixes_in_the_loss_of_the_flipped_preference()
    {
        using var result = Run(0.1, 0.1);
        // (1 − ε)·log(1 + e^−z) + ε·log(1 + e^z) per pair, z = (0.1, −0.2).
        var pair0 = 0.9 * Softplus(-0.1) + 0.1 * Softplus(0.1);
        var pair1 = 0.9 * Softplus(0.2) + 0.1 * Softplus(-0.2);
        Assert.Equal((pair0 + pair1) / 2, result.Loss.ToDouble(), 12);
    }

    [Fact]
    public void Reward_metrics_are_beta_times_the_log_ratios_as_trl_reports_them()
    {
        using var result = Run(0.1);
        var m = result.Metrics;
        Assert.Equal((0.05 + -0.1) / 2, m.RewardsChosen, 12);      // β·(0.5, −1)
        Assert.Equal((-0.05 + 0.1) / 2, m.RewardsRejected, 12);    // β·(−0.5, 1)
        Assert.Equal(0.5, m.RewardAccuracy, 12);                   // only pair 0 ranks chosen above rejected
        Assert.Equal((0.1 + -0.2) / 2, m.RewardMargin, 12);
        Assert.Equal(-2.0, m.LogProbChosen, 12);
        Assert.Equal(-1.5, m.LogProbRejected, 12);
        Assert.Equal(2, m.Pairs);
    }

    [Fact]
    public void A_pair_with_equal_rewards_does_not_count_as_ranked_right()
    {
        using var result = DpoLoss.Compute(T([-1.0]), T([-2.0]), T([-1.0]), T([-2.0]));
        Assert.Equal(0.0, result.Metrics.RewardAccuracy);
        Assert.Equal(Math.Log(2), result.Loss.ToDouble(), 12);
    }

    [Fact]
    public void The_gradient_on_a_chosen_log_prob_is_minus_beta_sigma_minus_z_over_the_batch()
    {
        using var chosen = T(PolicyChosen, grad: true);
        using var result = Run(0.1, chosen: chosen);
        result.Loss.backward();
        var grad = chosen.grad!.data<double>().ToArray();
        // dL/d log π(c) = −β·σ(−z) / B.
        Assert.Equal(-0.1 / (1 + Math.Exp(0.1)) / 2, grad[0], 12);
        Assert.Equal(-0.1 / (1 + Math.Exp(-0.2)) / 2, grad[1], 12);
    }

    [Fact]
    public void A_non_positive_beta_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(0.1, 0.6));
    }
}
