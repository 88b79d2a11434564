using HierReason.Core.Results;

namespace HierReason.Core.Tests.Results;

public class SampledResultTests
{
    private static double Exact(string? answer, string gold) => answer == gold ? 1.0 : 0.0;

    [Fact]
    public void Pass_maj_and_one_sample_accuracy_are_counted_per_item_by_hand()
    {
        string[] gold = ["1", "2", "3"];
        // Item 0: 1 of 3 right, the majority (9) wrong. Item 1: 2 of 3 right, majority right. Item 2: nothing given.
        string?[] answers = ["1", "9", "9", "2", "2", "5", null, null, null];
        var result = SampledResult.Of(gold, answers, 3, 1.0, Exact);
        Assert.Equal(2.0 / 3, result.PassAtK, 12);
        Assert.Equal(1.0 / 3, result.MajAtK, 12);
        Assert.Equal((1.0 / 3 + 2.0 / 3 + 0) / 3, result.SampleAccuracy, 12);
        Assert.Equal((3, 3), (result.N, result.K));
    }

    [Fact]
    public void A_majority_tie_goes_to_the_first_answer_given()
    {
        var first = SampledResult.Of(["a"], ["a", "b"], 2, 1.0, Exact);
        var second = SampledResult.Of(["a"], ["b", "a"], 2, 1.0, Exact);
        Assert.Equal((1.0, 0.0), (first.MajAtK, second.MajAtK));
    }

    [Fact]
    public void Answers_must_come_k_per_item()
    {
        Assert.Throws<ArgumentException>(() => SampledResult.Of(["a", "b"], ["a"], 1, 1.0, Exact));
        Assert.Throws<ArgumentException>(() => SampledResult.OfScored([("a", 1.0), ("b", 0.0), ("c", 0.0)], 2, 1.0));
    }

    [Fact]
    public void Scored_samples_give_the_same_figures_and_carry_partial_credit()
    {
        // Item 0: answers x (0.5), y (0), x (0.5): pass 0.5, majority x → 0.5, mean 1/3.
        // Item 1: null (0), null (0), z (1): the majority ignores missing answers → z → 1; pass 1, mean 1/3.
        var result = SampledResult.OfScored([("x", 0.5), ("y", 0.0), ("x", 0.5), (null, 0.0), (null, 0.0), ("z", 1.0)], 3, 0.7);
        Assert.Equal((2, 3, 0.7), (result.N, result.K, result.Temperature));
        Assert.Equal(0.75, result.PassAtK, 12);
        Assert.Equal(0.75, result.MajAtK, 12);
        Assert.Equal(1.0 / 3, result.SampleAccuracy, 12);
        Assert.Equal(new SampledResult(0, 4, 1, 0, 0, 0), SampledResult.OfScored([], 4, 1));
    }
}
