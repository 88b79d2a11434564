using HierReason.Training.Evaluation;
using HierReason.Training.Tests.Sft;

namespace HierReason.Training.Tests.Evaluation;

/// <summary>The local sampler; the figures themselves are <c>SampledResult</c>'s, tested in Core.</summary>
public class SampledEvaluatorTests
{
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
