using HierReason.Training.Grpo;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Grpo;

public class PolicyLossTests
{
    // A 2×3 batch: row 0 has three active tokens and A = +1, row 1 two active tokens and A = −0.5.
    private static readonly double[] LogP = [-1.0, -2.0, -0.5, -1.5, -0.2, -3.0];
    private static readonly double[] Old = [-1.2, -2.0, -0.3, -1.5, -0.5, -2.0];
    private static readonly double[] MaskValues = [1, 1, 1, 1, 1, 0];
    private static readonly double[] Adv = [1.0, -0.5];

    // Hand-computed per-token losses −min(r·A, clip(r, 0.8, 1.2)·A):
    //   row 0: r = e^0.2 = 1.2214 → clipped to 1.2 → −1.2; r = 1 → −1; r = e^−0.2 = 0.8187 (inside) → −0.8187
    //   row 1: r = 1 → 0.5; r = e^0.3 = 1.3499, min(−0.6749, −0.6) = −0.6749 → +0.6749; masked → 0
    private static readonly double Row0 = -1.2 - 1.0 - Math.Exp(-0.2);
    private static readonly double Row1 = 0.5 + 0.5 * Math.Exp(0.3);

    private static Tensor T(double[] values, params long[] shape) => tensor(values, shape, dtype: ScalarType.Float64);

    private static PolicyLossResult Run(LossType type, double epsilonHigh = 0.2, double? numItems = null, int maxLength = 4)
        => PolicyLoss.Compute(T(LogP, 2, 3), T(Old, 2, 3), null, T(Adv, 2), T(MaskValues, 2, 3),
            new PolicyLossSettings(type, 0.2, epsilonHigh, 0.0, maxLength), numItems);

    [Fact]
    public void Grpo_averages_each_sequence_over_its_tokens_then_over_sequences()
    {
        using var result = Run(LossType.Grpo);
        Assert.Equal((Row0 / 3 + Row1 / 2) / 2, result.Loss.ToDouble(), 9);
    }

    [Fact]
    public void Bnpo_divides_the_sum_by_the_active_tokens_of_the_batch()
    {
        using var result = Run(LossType.Bnpo);
        Assert.Equal((Row0 + Row1) / 5, result.Loss.ToDouble(), 9);
    }

    [Fact]
    public void Dr_grpo_divides_the_sum_by_batch_size_times_max_completion_length()
    {
        using var result = Run(LossType.DrGrpo, maxLength: 4);
        Assert.Equal((Row0 + Row1) / (2 * 4), result.Loss.ToDouble(), 9);
    }

    [Fact]
    public void Dapo_divides_the_sum_by_the_active_tokens_of_the_global_batch()
    {
        using var global = Run(LossType.Dapo, numItems: 10);
        Assert.Equal((Row0 + Row1) / 10, global.Loss.ToDouble(), 9);
        using var local = Run(LossType.Dapo);
        Assert.Equal((Row0 + Row1) / 5, local.Loss.ToDouble(), 9);
    }

    [Fact]
    public void Metrics_count_clipped_tokens_and_the_mean_ratio_over_active_tokens()
    {
        using var result = Run(LossType.Bnpo);
        var m = result.Metrics;
        Assert.Equal(5, m.ActiveTokens);
        Assert.Equal(0.2, m.ClipHighFraction, 12);   // row 0, token 0: r > 1.2 with A > 0
        Assert.Equal(0.0, m.ClipLowFraction, 12);    // no r < 0.8
        // TRL counts a token as clipped only when the clip stops its gradient: row 1, token 1 (r = 1.35) has A < 0, so the
        // clip does not bind there and it is not counted.
        Assert.Equal(0.2, m.ClipRegionFraction, 12);
        Assert.Equal((Math.Exp(0.2) + 1 + Math.Exp(-0.2) + 1 + Math.Exp(0.3)) / 5, m.MeanRatio, 9);
        Assert.Null(m.MeanKl);
    }

    [Fact]
    public void A_ratio_below_one_minus_epsilon_with_negative_advantage_counts_as_low_clipped()
    {
        using var result = PolicyLoss.Compute(T([Math.Log(0.5)], 1, 1), T([0.0], 1, 1), null, T([-1.0], 1), T([1.0], 1, 1),
            new PolicyLossSettings(LossType.Grpo, 0.2, 0.2, 0.0, 1));
        Assert.Equal(1.0, result.Metrics.ClipLowFraction);
        Assert.Equal(0.8, result.Loss.ToDouble(), 9); // −min(0.5·−1, 0.8·−1) = 0.8
    }

    [Fact]
    public void Clip_higher_leaves_a_ratio_of_1_25_unclipped_for_a_positive_advantage()
    {
        var logp = T([Math.Log(1.25)], 1, 1);
        var old = T([0.0], 1, 1);
        var mask = T([1.0], 1, 1);
        var adv = T([1.0], 1);
        using var higher = PolicyLoss.Compute(logp, old, null, adv, mask, new PolicyLossSettings(LossType.Grpo, 0.2, 0.28, 0, 1));
        using var symmetric = PolicyLoss.Compute(logp, old, null, adv, mask, new PolicyLossSettings(LossType.Grpo, 0.2, 0.2, 0, 1));
        Assert.Equal(-1.25, higher.Loss.ToDouble(), 9);
        Assert.Equal(0.0, higher.Metrics.ClipHighFraction);
        Assert.Equal(-1.2, symmetric.Loss.ToDouble(), 9);
        Assert.Equal(1.0, symmetric.Metrics.ClipHighFraction);
    }

    [Fact]
    public void K3_kl_is_exp_of_ref_minus_logp_minus_that_difference_minus_one()
    {
        // logp = −1, ref = −1.5: d = −0.5, KL = e^−0.5 + 0.5 − 1 = 0.1065307.
        using var result = PolicyLoss.Compute(T([-1.0], 1, 1), null, T([-1.5], 1, 1), T([0.0], 1), T([1.0], 1, 1),
            new PolicyLossSettings(LossType.Grpo, 0.2, 0.2, 0.04, 1));
        var kl = Math.Exp(-0.5) + 0.5 - 1;
        Assert.Equal(0.1065306597, kl, 9);
        Assert.Equal(kl, result.Metrics.MeanKl!.Value, 9);
        Assert.Equal(0.04 * kl, result.Loss.ToDouble(), 9);
    }

    [Fact]
    public void Masked_tokens_contribute_nothing_to_loss_or_gradient()
    {
        var settings = new PolicyLossSettings(LossType.Bnpo, 0.2, 0.2, 0.1, 1);
        double LossWithMaskedValue(double value, out double[] grad)
        {
            var logp = T([-1.0, value], 1, 2).requires_grad_(true);
            using var result = PolicyLoss.Compute(logp, T([-1.1, -1.0], 1, 2), T([-0.9, 40.0], 1, 2), T([0.7], 1), T([1.0, 0.0], 1, 2), settings);
            result.Loss.backward();
            grad = logp.grad!.data<double>().ToArray();
            return result.Loss.ToDouble();
        }

        var a = LossWithMaskedValue(-1.0, out var gradA);
        var b = LossWithMaskedValue(-60.0, out var gradB);
        Assert.Equal(a, b, 12);
        Assert.Equal(0.0, gradA[1]);
        Assert.Equal(0.0, gradB[1]);
        Assert.Equal(gradA[0], gradB[0], 12);
        Assert.Equal(1, PolicyLoss.Compute(T([-1.0, -60.0], 1, 2), null, null, T([0.7], 1), T([1.0, 0.0], 1, 2),
            new PolicyLossSettings(LossType.Bnpo, 0.2, 0.2, 0, 1)).Metrics.ActiveTokens);
    }

    [Fact]
    public void A_positive_advantage_pushes_logprobs_up_and_a_negative_one_down()
    {
        var logp = T([-1.0, -2.0, -0.5, -1.5], 2, 2).requires_grad_(true);
        using var result = PolicyLoss.Compute(logp, null, null, T([1.0, -1.0], 2), T([1.0, 1.0, 1.0, 1.0], 2, 2),
            new PolicyLossSettings(LossType.Dapo, 0.2, 0.2, 0, 2));
        result.Loss.backward();
        var grad = logp.grad!.data<double>().ToArray();
        // μ = 1: ratio is exactly 1, so dL/dlogp = −A / tokens.
        Assert.Equal([-0.25, -0.25, 0.25, 0.25], grad.Select(g => Math.Round(g, 12)));
        Assert.Equal(0.0, result.Loss.ToDouble(), 12);
    }

    [Fact]
    public void Kl_penalty_pulls_logprobs_back_towards_the_reference()
    {
        var logp = T([-1.0], 1, 1).requires_grad_(true);
        using var result = PolicyLoss.Compute(logp, null, T([-1.5], 1, 1), T([0.0], 1), T([1.0], 1, 1),
            new PolicyLossSettings(LossType.Grpo, 0.2, 0.2, 0.5, 1));
        result.Loss.backward();
        // d/dlogp [e^(ref−logp) − (ref−logp) − 1] = 1 − e^(ref−logp) > 0: descending lowers logp towards ref.
        Assert.Equal(0.5 * (1 - Math.Exp(-0.5)), logp.grad!.ToDouble(), 9);
    }

    [Fact]
    public void Beta_without_reference_logprobs_is_a_bug()
        => Assert.Throws<ArgumentException>(() => PolicyLoss.Compute(T([-1.0], 1, 1), null, null, T([0.0], 1), T([1.0], 1, 1),
            new PolicyLossSettings(LossType.Grpo, 0.2, 0.2, 0.1, 1)));

    [Theory]
    [InlineData(LossType.Grpo)]
    [InlineData(LossType.Bnpo)]
    [InlineData(LossType.DrGrpo)]
    [InlineData(LossType.Dapo)]
    public void Per_token_advantages_constant_along_t_give_exactly_the_per_completion_loss(LossType type)
    {
        var settings = new PolicyLossSettings(type, 0.2, 0.2, 0.0, 4);
        using var perCompletion = PolicyLoss.Compute(T(LogP, 2, 3), T(Old, 2, 3), null, T(Adv, 2), T(MaskValues, 2, 3), settings);
        using var perToken = PolicyLoss.Compute(T(LogP, 2, 3), T(Old, 2, 3), null, T([1, 1, 1, -0.5, -0.5, -0.5], 2, 3), T(MaskValues, 2, 3), settings);
        Assert.Equal(perCompletion.Loss.ToDouble(), perToken.Loss.ToDouble());
        Assert.Equal(perCompletion.Metrics, perToken.Metrics);
    }

    [Fact]
    public void Per_token_advantages_weight_each_token_and_decide_its_clipping()
    {
        // Row 0: A = 1, −1, 2 with r = 1.2214 (clipped to 1.2), 1, 0.8187 → −1.2, +1, −2·0.8187.
        // Row 1: A = −0.5, 0.5, (masked) with r = 1, 1.3499 → +0.5, −min(0.6749, 0.6) = −0.6. Now row 1's second token pushes
        // up past 1 + ε, so it counts as clipped high; with its completion's A = −0.5 it did not.
        double[] adv = [1, -1, 2, -0.5, 0.5, 7];
        var expected = -1.2 + 1 - 2 * Math.Exp(-0.2) + 0.5 - 0.6;
        using var result = PolicyLoss.Compute(T(LogP, 2, 3), T(Old, 2, 3), null, T(adv, 2, 3), T(MaskValues, 2, 3),
            new PolicyLossSettings(LossType.Bnpo, 0.2, 0.2, 0.0, 4));
        Assert.Equal(expected / 5, result.Loss.ToDouble(), 9);
        Assert.Equal((2 / 5.0, 0.0), (result.Metrics.ClipHighFraction, result.Metrics.ClipLowFraction));
    }

    [Fact]
    public void Advantages_of_another_shape_are_rejected_naming_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => PolicyLoss.Compute(T(LogP, 2, 3), null, null, T([1, 2, 3, 4], 2, 2), T(MaskValues, 2, 3),
            new PolicyLossSettings(LossType.Bnpo, 0.2, 0.2, 0.0, 4)));
        Assert.Contains("(B) or (B, T) = [2, 3], found [2, 2]", e.Message);
    }
}
