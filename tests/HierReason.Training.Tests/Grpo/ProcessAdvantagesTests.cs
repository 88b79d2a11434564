using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Grpo;

public class ProcessAdvantagesTests
{
    // Two groups of G = 2, step rewards with their end tokens:
    //   group 0: episode 0 (5 tokens) steps 1 @ 1 and 0 @ 3; episode 1 (4 tokens) step 1 @ 3 → pooled [1, 0, 1], mean 2/3
    //   group 1: episode 2 (3 tokens) no steps;              episode 3 (3 tokens) steps 2 @ 0 and 4 @ 2 → pooled [2, 4], mean 3
    private static readonly EpisodeSteps[] Batch =
    [
        new(5, [new StepReward(1, 1), new StepReward(0, 3)]),
        new(4, [new StepReward(1, 3)]),
        EpisodeSteps.None(3),
        new(3, [new StepReward(4, 2), new StepReward(2, 0)]),
    ];

    private static void Equal(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var t = 0; t < expected.Length; t++) Assert.Equal(expected[t], actual[t], 5);
    }

    [Fact]
    public void Unscaled_a_token_sums_the_centred_rewards_of_the_steps_ending_at_or_after_it()
    {
        var a = ProcessAdvantages.Compute(Batch, 2, RewardScaling.None);
        // Group 0 centred: 1/3, −2/3, 1/3. Episode 0: tokens 0–1 see both its steps, 2–3 the second, 4 none.
        Equal([-1.0 / 3, -1.0 / 3, -2.0 / 3, -2.0 / 3, 0], a[0]);
        Equal([1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3], a[1]);
        // Group 1 centred: −1 (ends at 0), +1 (ends at 2); an episode without steps is 0 everywhere.
        Equal([0, 0, 0], a[2]);
        Equal([0, 1, 1], a[3]);
    }

    [Fact]
    public void Group_scaling_divides_by_the_std_of_the_groups_pooled_step_rewards()
    {
        var a = ProcessAdvantages.Compute(Batch, 2, RewardScaling.Group);
        var s0 = Math.Sqrt(1.0 / 3) + GroupAdvantages.StdEpsilon;    // Bessel std of [1, 0, 1]
        var s1 = Math.Sqrt(2.0) + GroupAdvantages.StdEpsilon;        // Bessel std of [2, 4]
        Equal([-1 / 3.0 / s0, -1 / 3.0 / s0, -2 / 3.0 / s0, -2 / 3.0 / s0, 0], a[0]);
        Equal([1 / 3.0 / s0, 1 / 3.0 / s0, 1 / 3.0 / s0, 1 / 3.0 / s0], a[1]);
        Equal([0, 0, 0], a[2]);
        Equal([0, 1 / s1, 1 / s1], a[3]);
    }

    [Fact]
    public void Batch_scaling_centres_per_group_but_divides_by_the_std_of_every_step_reward()
    {
        var a = ProcessAdvantages.Compute(Batch, 2, RewardScaling.Batch);
        var s = Math.Sqrt(2.3) + GroupAdvantages.StdEpsilon;         // Bessel std of [1, 0, 1, 2, 4]
        Equal([-1 / 3.0 / s, -1 / 3.0 / s, -2 / 3.0 / s, -2 / 3.0 / s, 0], a[0]);
        Equal([0, 1 / s, 1 / s], a[3]);
    }

    [Fact]
    public void Negative_token_advantages_are_scaled_and_positive_ones_kept()
    {
        var a = ProcessAdvantages.Compute(Batch, 2, RewardScaling.None, negativeScale: 0.5);
        Equal([-1.0 / 6, -1.0 / 6, -1.0 / 3, -1.0 / 3, 0], a[0]);
        Equal([1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3], a[1]);
    }

    [Fact]
    public void A_group_whose_step_rewards_are_equal_gets_zero_not_nan()
    {
        var a = ProcessAdvantages.Compute([new(2, [new StepReward(1, 1)]), new(2, [new StepReward(1, 0)])], 2, RewardScaling.Group);
        Assert.All(a.SelectMany(x => x), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_step_ending_outside_its_completion_is_a_bug()
    {
        Assert.Throws<ArgumentException>(() => ProcessAdvantages.Compute([new(2, [new StepReward(1, 2)]), EpisodeSteps.None(1)], 2, RewardScaling.None));
        Assert.Throws<ArgumentException>(() => ProcessAdvantages.Compute(Batch, 3, RewardScaling.None));
    }
}
