using HierReason.Core.Results;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Results;

public sealed class QuestionSumsTests
{
    private static QuestionSums Of(params (string Question, double Score)[] items) => QuestionSums.Of(items, i => i.Question, i => i.Score);

    [Fact]
    public void Distinct_questions_give_the_bessel_standard_error()
    {
        // Scores 1, 0, 1, 1, 0: mean 0.6, s² = (3 − 5 · 0.36) / 4 = 0.3, se = √(0.3 / 5).
        var sums = Of(("a", 1), ("b", 0), ("c", 1), ("d", 1), ("e", 0));
        Assert.Equal((5L, 5L), (sums.N, sums.Questions));
        Assert.Equal(0.6, sums.Mean, 12);
        Assert.Equal(Math.Sqrt(0.3 / 5), sums.StdErr, 12);
        Assert.Equal(sums, QuestionSums.Distinct(5, 3, 3));
    }

    [Fact]
    public void Repeated_questions_are_one_cluster_each()
    {
        // Questions q1 ×2 (1, 1), q2 (0), q3 (1): N 4, C 3, μ 0.75; residuals S_c − μ·n_c = 0.5, −0.75, 0.25;
        // Σ² = 0.875; V = 3/2 · 0.875 / 16 = 0.08203125.
        var sums = Of(("q1", 1), ("q2", 0), ("q1", 1), ("q3", 1));
        Assert.Equal((4L, 3L), (sums.N, sums.Questions));
        Assert.Equal(0.75, sums.Mean, 12);
        Assert.Equal(Math.Sqrt(0.08203125), sums.StdErr, 12);
        // The naive s/√n over the same four scores would be 0.25.
        Assert.True(sums.StdErr > 0.28);
    }

    [Fact]
    public void Repeating_every_question_k_times_leaves_the_error_of_the_distinct_set()
    {
        double[] scores = [1, 0, 0, 1, 1, 0, 1];
        var once = Of(scores.Select((s, i) => ($"q{i}", s)).ToArray());
        var fourTimes = Of(Enumerable.Range(0, 4).SelectMany(_ => scores.Select((s, i) => ($"q{i}", s))).ToArray());
        Assert.Equal(28, fourTimes.N);
        Assert.Equal(once.Mean, fourTimes.Mean, 12);
        Assert.Equal(once.StdErr, fourTimes.StdErr, 12);
        // Counted as 28 independent items the error would be half as large.
        Assert.Equal(once.StdErr / 2, QuestionSums.Distinct(28, fourTimes.Sum, 4 * scores.Sum(s => s * s)).StdErr, 1);
    }

    [Fact]
    public void Adding_disjoint_sets_equals_clustering_their_union()
    {
        (string, double)[] a = [("x", 1), ("x", 0), ("y", 1)];
        (string, double)[] b = [("z", 0), ("w", 1), ("w", 1), ("w", 0.5)];
        var pooled = Of(a).Add(Of(b));
        var union = Of([.. a, .. b]);
        Assert.Equal(union.N, pooled.N);
        Assert.Equal(union.Questions, pooled.Questions);
        Assert.Equal(union.Mean, pooled.Mean, 12);
        Assert.Equal(union.StdErr, pooled.StdErr, 12);
    }

    [Fact]
    public void Fewer_than_two_questions_have_no_standard_error()
    {
        Assert.Equal(0, Of(("q", 1), ("q", 0), ("q", 1)).StdErr);
        Assert.Equal(0, default(QuestionSums).StdErr);
        Assert.Equal(0, default(QuestionSums).Mean);
    }

    [Fact]
    public void Level_0_chain_sum_repeats_its_test_questions()
    {
        // Why the clustering matters: 200 test items of level 0 hold only a fifth as many distinct questions.
        var task = TaskRegistry.Default.Get("chain_sum");
        var items = TaskDataset.Create(task, Split.Test, 0, 200, null, 0);
        var sums = QuestionSums.Of(Enumerable.Range(0, items.Count).Select(i => items[i]), i => i.Question, i => i.Question.Length % 2);
        Assert.Equal(200, sums.N);
        Assert.InRange(sums.Questions, 20, 60);
    }
}
