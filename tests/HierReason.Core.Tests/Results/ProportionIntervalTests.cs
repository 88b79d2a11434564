using HierReason.Core.Results;

namespace HierReason.Core.Tests.Results;

public class ProportionIntervalTests
{
    // z² for 95 %: 1.959963984540054² = 3.841458820694124.
    private const double Z2 = ProportionInterval.Z95 * ProportionInterval.Z95;

    [Fact]
    public void None_right_of_48_reaches_7_4_percent_where_a_normal_interval_says_nothing()
    {
        // At p = 0 Wilson's upper end is z² ÷ (n + z²) = 3.8415 ÷ 51.8415.
        var interval = ProportionInterval.Of(0, 0, 48);
        Assert.Equal(0, interval.Low, 12);
        Assert.Equal(Z2 / (48 + Z2), interval.High, 12);
        Assert.Equal(0.0741, interval.High, 4);
        Assert.Equal(48, interval.EffectiveN);
    }

    [Fact]
    public void All_right_of_48_starts_at_92_6_percent()
    {
        // At p = 1 the lower end is n ÷ (n + z²) = 48 ÷ 51.8415.
        var interval = ProportionInterval.Of(1, 0, 48);
        Assert.Equal(48 / (48 + Z2), interval.Low, 12);
        Assert.Equal(0.9259, interval.Low, 4);
        Assert.Equal(1, interval.High, 12);
    }

    [Fact]
    public void Ten_of_twenty_is_symmetric_about_one_half()
    {
        // With the binomial se √(0.25/20) the effective n is 20: centre 0.5, half width
        // z ÷ (1 + z²/20) · √(0.25/20 + z²/1600) = 1.64418 · 0.122070 = 0.200702.
        var interval = ProportionInterval.Of(0.5, Math.Sqrt(0.25 / 20), 20);
        Assert.Equal(0.2993, interval.Low, 4);
        Assert.Equal(0.7007, interval.High, 4);
        Assert.Equal(1, interval.Low + interval.High, 12);
        Assert.Equal(20, interval.EffectiveN, 9);
        // Bessel's se (s² = 20/19 · 0.25, se = √(0.25/19)), as the aggregator writes it, gives p(1 − p) ÷ se² = 19.
        var se = Math.Sqrt(0.25 / 19);
        Assert.Equal(19, ProportionInterval.Of(0.5, se, 20).EffectiveN, 9);
    }

    [Fact]
    public void Repeated_questions_shrink_the_effective_n_to_about_the_distinct_questions()
    {
        // 200 samples of 41 questions, all wrong: the clustered se is 0, so the effective n is the 41 distinct questions.
        var none = ProportionInterval.Of(0, 0, 200, 41);
        Assert.Equal(41, none.EffectiveN);
        Assert.Equal(Z2 / (41 + Z2), none.High, 12); // 0.0857, not 200's 0.0188
        Assert.Equal(0.0857, none.High, 4);
        // Half right with the se of 41 independent questions: the Kish size p(1 − p) ÷ se² is 41, the interval 41's.
        var half = ProportionInterval.Of(0.5, Math.Sqrt(0.25 / 41), 200, 41);
        Assert.Equal(41, half.EffectiveN, 9);
        Assert.Equal(0.3537, half.Low, 4);
        Assert.Equal(0.6463, half.High, 4);
        // A se smaller than the binomial one never counts for more than n.
        Assert.Equal(200, ProportionInterval.Of(0.5, 0.001, 200, 41).EffectiveN);
        Assert.Equal((0.0, 1.0, 0.0), (ProportionInterval.Of(0, 0, 0).Low, ProportionInterval.Of(0, 0, 0).High, ProportionInterval.Of(0, 0, 0).EffectiveN));
    }
}
