using HierReason.Training.Evaluation;
using HierReason.Training.Tests.Sft;

namespace HierReason.Training.Tests.Evaluation;

public class SampledEvaluationTests
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
    public void Answers_must_come_k_per_item() =>
        Assert.Throws<ArgumentException>(() => SampledResult.Of(["a", "b"], ["a"], 1, 1.0, Exact));

    [Fact]
    public void Sampling_k_answers_per_item_gives_pass_at_least_one_sample_and_is_seeded()
    {
        using var model = TinyRun.Model(2);
        var items = TinyRun.Items(4);
        var evaluator = new SampledEvaluator(model, TinyRun.Tokenizer, TinyRun.Template, k: 4, maxNewTokens: 8);
        var a = evaluator.Evaluate(items, (answer, item) => answer is null ? 0 : 1, seed: 3);
        var b = evaluator.Evaluate(items, (answer, item) => answer is null ? 0 : 1, seed: 3);
        Assert.Equal(a, b);
        Assert.True(a.PassAtK >= a.SampleAccuracy);
        Assert.Equal((4, 4), (a.N, a.K));
    }
}
