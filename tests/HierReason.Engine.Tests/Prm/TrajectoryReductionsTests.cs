using HierReason.Engine.Prm;
using Xunit;

namespace HierReason.Engine.Tests.Prm;

public sealed class TrajectoryReductionsTests
{
    private static readonly double[] Steps = [0.9, 0.5, 0.8];

    [Theory]
    [InlineData(TrajectoryReduction.Product, 0.36)]
    [InlineData(TrajectoryReduction.Min, 0.5)]
    [InlineData(TrajectoryReduction.Last, 0.8)]
    [InlineData(TrajectoryReduction.Sum, 2.2)]
    public void Reductions_match_hand_computed_values(TrajectoryReduction reduction, double expected) =>
        Assert.Equal(expected, TrajectoryReductions.Reduce(Steps, reduction), 12);

    [Fact]
    public void A_trajectory_with_no_scored_step_is_nan_so_it_never_wins_a_ranking() =>
        Assert.True(double.IsNaN(TrajectoryReductions.Reduce([], TrajectoryReduction.Min)));

    [Fact]
    public void Names_parse_case_insensitively_and_unknown_ones_are_user_errors()
    {
        Assert.Equal(TrajectoryReduction.Last, TrajectoryReductions.Parse("LAST"));
        Assert.Throws<EngineException>(() => TrajectoryReductions.Parse("mean"));
        Assert.Throws<EngineException>(() => TrajectoryReductions.Parse("1"));
    }
}
