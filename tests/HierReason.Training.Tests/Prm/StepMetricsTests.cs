using HierReason.Training.Prm;
using Xunit;

namespace HierReason.Training.Tests.Prm;

public sealed class StepMetricsTests
{
    [Fact]
    public void Auc_is_the_share_of_positive_negative_pairs_ranked_right()
    {
        // Pairs (pos, neg): 0.35>0.1 ✓, 0.35>0.4 ✗, 0.8>0.1 ✓, 0.8>0.4 ✓ → 3/4.
        Assert.Equal(0.75, StepMetrics.RocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 12);
    }

    [Fact]
    public void A_tied_pair_counts_one_half()
    {
        // Pairs: 0.5 vs 0.5 tie ½, 0.5>0.2 1, 0.9>0.5 1, 0.9>0.2 1 → 3.5/4.
        Assert.Equal(0.875, StepMetrics.RocAuc([0.5, 0.5, 0.2, 0.9], [true, false, false, true]), 12);
        Assert.Equal(0.5, StepMetrics.RocAuc([0.3, 0.3, 0.3], [true, false, true]), 12);
    }

    [Fact]
    public void Auc_is_undefined_without_both_classes_and_accuracy_thresholds_at_one_half()
    {
        Assert.True(double.IsNaN(StepMetrics.RocAuc([0.2, 0.7], [true, true])));
        Assert.Equal(0.75, StepMetrics.Accuracy([0.5, 0.49, 0.9, 0.1], [true, false, false, false]), 12);
    }
}
