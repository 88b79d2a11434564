using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Grpo;

public class GroupAdvantagesTests
{
    // Two groups of three: [1, 0, 0] (mean 1/3, sample std 0.57735) and [2, 2, 2] (mean 2, std 0).
    private static readonly double[] Rewards = [1, 0, 0, 2, 2, 2];

    [Fact]
    public void Group_scaling_divides_by_each_groups_sample_std()
    {
        var a = GroupAdvantages.Compute(Rewards, 3, RewardScaling.Group);
        var std = Math.Sqrt(((2.0 / 3) * (2.0 / 3) + 2 * (1.0 / 3) * (1.0 / 3)) / 2);
        Assert.Equal(0.5773502692, std, 9);
        Assert.Equal((2.0 / 3) / (std + 1e-4), a[0], 12);
        Assert.Equal((-1.0 / 3) / (std + 1e-4), a[1], 12);
        Assert.Equal([0.0, 0.0, 0.0], a[3..]);
    }

    [Fact]
    public void Batch_scaling_divides_by_the_std_of_all_rewards()
    {
        var a = GroupAdvantages.Compute(Rewards, 3, RewardScaling.Batch);
        // mean 7/6; squared deviations sum: (1/6)² + 2(7/6)² + 3(5/6)² = 29/6; over n − 1 = 5.
        var std = Math.Sqrt(29.0 / 6 / 5);
        Assert.Equal((2.0 / 3) / (std + 1e-4), a[0], 12);
        Assert.Equal((-1.0 / 3) / (std + 1e-4), a[2], 12);
        Assert.Equal(0.0, a[4]);
    }

    [Fact]
    public void No_scaling_only_centres_each_group()
    {
        double[] expected = [2.0 / 3, -1.0 / 3, -1.0 / 3, 0, 0, 0];
        var actual = GroupAdvantages.Compute(Rewards, 3, RewardScaling.None);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void Rewards_that_do_not_fill_whole_groups_are_a_bug()
        => Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([1, 2, 3], 2, RewardScaling.Group));

    [Fact]
    public void Dynamic_sampling_keeps_only_groups_whose_rewards_differ()
    {
        double[] rewards = [1, 1, 0, 1, 0.5, 1, 1, 1];
        Assert.Equal([1, 2], DynamicSampling.InformativeGroups(rewards, 2));
        Assert.Equal(0.5, DynamicSampling.ZeroVarianceFraction(rewards, 2));
        Assert.Equal([2, 3, 4, 5], DynamicSampling.SampleIndices([1, 2], 2));
    }
}
