using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Core.Tests.Results;

public class PassAtEstimatorTests
{
    [Fact]
    public void One_right_of_four_passes_a_quarter_of_single_draws_half_of_pairs_and_every_draw_of_four()
    {
        // 1 − C(3, k) ÷ C(4, k): k = 1 → 1 − 3/4; k = 2 → 1 − 3/6; k = 4 → C(3, 4) = 0.
        Assert.Equal(0.25, PassAtEstimator.Estimate(4, 1, 1), 12);
        Assert.Equal(0.5, PassAtEstimator.Estimate(4, 1, 2), 12);
        Assert.Equal(1, PassAtEstimator.Estimate(4, 1, 4), 12);
    }

    [Fact]
    public void The_estimate_is_the_binomial_ratio_by_hand()
    {
        Assert.Equal(1 - 3.0 / 10, PassAtEstimator.Estimate(5, 2, 2), 12); // 1 − C(3,2)/C(5,2)
        Assert.Equal(1 - 1.0 / 10, PassAtEstimator.Estimate(5, 2, 3), 12); // 1 − C(3,3)/C(5,3)
        Assert.Equal(0, PassAtEstimator.Estimate(8, 0, 8), 12);
        Assert.Equal(1, PassAtEstimator.Estimate(8, 8, 1), 12);
        // C(99, 50) ÷ C(100, 50) = 50/100, without computing either (each is about 1e29).
        Assert.Equal(0.5, PassAtEstimator.Estimate(100, 1, 50), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtEstimator.Estimate(4, 1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtEstimator.Estimate(4, 5, 1));
    }

    [Fact]
    public void The_curve_reports_powers_of_two_up_to_n_and_n_itself()
    {
        Assert.Equal([1], PassAtEstimator.Ks(1));
        Assert.Equal([1, 2, 4], PassAtEstimator.Ks(4));
        Assert.Equal([1, 2, 4, 6], PassAtEstimator.Ks(6));
        Assert.Equal([1, 2, 4, 8, 16], PassAtEstimator.Ks(16));
    }

    [Fact]
    public void The_curve_averages_items_and_counts_only_full_scores_as_right()
    {
        // Item 0: 1 of 4 right → 0.25, 0.5, 1. Item 1: 2 of 4 → 0.5, 1 − C(2,2)/C(4,2) = 5/6, 1.
        // Item 2: 0.5 partial credit ×4 and none right → 0, 0, 0.
        double[] scores = [0, 1, 0, 0, 1, 0, 1, 0, 0.5, 0.5, 0.5, 0.5];
        var curve = PassAtEstimator.Curve(scores, 4)!;
        Assert.Equal([1, 2, 4], curve.Keys);
        Assert.Equal((0.25 + 0.5 + 0) / 3, curve[1], 12);
        Assert.Equal((0.5 + 5.0 / 6 + 0) / 3, curve[2], 12);
        Assert.Equal(2.0 / 3, curve[4], 12);
        // A score a rounding step below 1 still counts.
        Assert.Equal(1, PassAtEstimator.Curve([1 - 1e-12], 1)![1]);
        Assert.Null(PassAtEstimator.Curve([], 4));
    }

    [Fact]
    public void Sampled_results_carry_the_curve_beside_pass_at_k_and_survive_a_json_round_trip()
    {
        // Items: x right once of 4; y right twice; pass@4 (some sample right) is 1 for both.
        var result = SampledResult.OfScored([("a", 0), ("x", 1), ("a", 0), ("b", 0), ("y", 1), ("y", 1), ("c", 0), ("d", 0)], 4, 1.0);
        Assert.Equal(1, result.PassAtK, 12);
        Assert.Equal((0.25 + 0.5) / 2, result.PassAt![1], 12);
        Assert.Equal((0.5 + 5.0 / 6) / 2, result.PassAt[2], 12);
        Assert.Equal(1, result.PassAt[4], 12);

        var json = JsonSerializer.Serialize(result, HierJson.Options);
        Assert.Contains("\"pass_at\":{\"1\":0.375,\"2\":", json);
        Assert.Equal(result, JsonSerializer.Deserialize<SampledResult>(json, HierJson.Options));
        // Without items there is no curve, and the field is left out.
        Assert.DoesNotContain("pass_at\"", JsonSerializer.Serialize(SampledResult.OfScored([], 4, 1), HierJson.Options));
    }
}
