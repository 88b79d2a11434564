using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Aggregation;
using Snapshooter.Xunit;

namespace HierReason.Harness.Tests.Aggregation;

public sealed class ResultAggregatorTests
{
    private static readonly RunMetadata Run = new(
        "run-0123456789ab", "20260102-030405", new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero), 305.25,
        "0123456789abcdef0123456789abcdef01234567", "Linux, x64, 2 cores, 24 GiB", ["cpu:0", "cpu:1"],
        new SortedDictionary<string, string> { [".NET"] = ".NET 10.0.0", ["HierReason"] = "0.1.0", ["TorchSharp"] = "0.107.0.0" });

    private static BenchmarkSummary Synthetic()
    {
        var failed = JobResult.FailedWith(TestJobs.Job("leg_counting", "b"), "worker exited with code 137", 12) with { FinishedAt = Run.StartedAt };
        return ResultAggregator.Summarize(
            ["chain_sum", "leg_counting"],
            ["a", "b"],
            [
                TestJobs.Result("chain_sum", "a", 0, 1, 0, 1, 1),
                TestJobs.Result("chain_sum", "a", 1, 0, 0, 1, 1),
                TestJobs.Result("leg_counting", "a", 0, 1, 1, 0, 0),
                TestJobs.Result("chain_sum", "b", 0, 1, 1, 1, 1),
                failed,
            ],
            Run);
    }

    [Fact]
    public void Cell_pools_seeds_mean_and_bessel_standard_error_over_all_samples()
    {
        var summary = Synthetic();

        var cell = summary.Rows.Single(r => r.Task == "chain_sum" && r.Model == "a");
        // scores 1,0,1,1,0,0,1,1: mean 5/8; s² = (5 − 25/8)/7 = 0.267857…; se = √(s²/8).
        Assert.Equal(0.625, cell.Accuracy, 12);
        Assert.Equal(Math.Sqrt(1.875 / 7 / 8), cell.StdErr, 12);
        Assert.Equal(0.18298126367, cell.StdErr, 9);
        Assert.Equal(8, cell.N);
        Assert.Equal(2, cell.Jobs);

        var legs = summary.Rows.Single(r => r.Task == "leg_counting" && r.Model == "a");
        Assert.Equal(0.5, legs.Accuracy, 12);
        Assert.Equal(Math.Sqrt(1.0 / 12), legs.StdErr, 12); // s² = 1/3, n = 4

        var perfect = summary.Rows.Single(r => r.Task == "chain_sum" && r.Model == "b");
        Assert.Equal((1.0, 0.0), (perfect.Accuracy, perfect.StdErr));
    }

    [Fact]
    public void Failed_cell_is_flagged_and_left_out_of_the_average()
    {
        var summary = Synthetic();

        var failed = summary.Rows.Single(r => r.Task == "leg_counting" && r.Model == "b");
        Assert.Equal((0, 1, 1), (failed.N, failed.Jobs, failed.FailedJobs));

        var a = summary.Averages.Single(x => x.Model == "a");
        Assert.Equal(0.5625, a.Accuracy, 12);
        Assert.Equal(Math.Sqrt(1.875 / 7 / 8 + 1.0 / 12) / 2, a.StdErr, 12); // √(Σse²)/k
        Assert.Equal(2, a.Tasks);
        var b = summary.Averages.Single(x => x.Model == "b");
        Assert.Equal((1.0, 0.0, 1), (b.Accuracy, b.StdErr, b.Tasks));
    }

    [Fact]
    public void Average_over_fewer_tasks_than_the_run_is_marked_and_names_what_is_missing()
    {
        var summary = Synthetic(); // b's leg_counting job failed: b's average covers chain_sum only

        var b = summary.Averages.Single(x => x.Model == "b");
        Assert.Equal(1, b.Tasks);
        Assert.Equal(["leg_counting"], b.Missing);
        Assert.Null(summary.Averages.Single(x => x.Model == "a").Missing);
        var markdown = MarkdownSummary.Render(summary);
        Assert.Contains("| **Average** | **56.3 ± 17.1** | **100.0 ± 0.0**\\* |", markdown);
        Assert.Contains("\\* b: average over 1 of 2 tasks: leg_counting failed.", markdown);
        // A task the model was not run on at all is named as such.
        var partial = ResultAggregator.Summarize(["chain_sum", "leg_counting"], ["a"], [TestJobs.Result("chain_sum", "a", 0, 1, 0)], Run);
        Assert.Contains("\\* a: average over 1 of 2 tasks: leg_counting not run.", MarkdownSummary.Render(partial));
    }

    [Fact]
    public void Repeated_questions_widen_the_cell_error_and_are_named_in_the_summary()
    {
        // Job seed 0: questions q1 ×2 (1, 1), q2 (0), q3 (1); job seed 1: q4 (0), q5 (1). Pooled as disjoint questions:
        // N 6, C 5, μ 4/6; residuals 2 − 4/3, 0 − 2/3, 1 − 2/3, 0 − 2/3, 1 − 2/3 → Σ² = 4/9 + 4/9 + 1/9 + 4/9 + 1/9 = 14/9;
        // V = 5/4 · (14/9) / 36.
        var clustered = QuestionSums.Of([("q1", 1.0), ("q2", 0.0), ("q1", 1.0), ("q3", 1.0)], x => x.Item1, x => x.Item2);
        var repeated = TestJobs.Result("chain_sum", "a", 0, 1, 0, 1, 1) with
        {
            StdErr = clustered.StdErr, Questions = clustered.Questions, QuestionSquareSum = clustered.ClusterSquareSum,
            QuestionCrossSum = clustered.ClusterCrossSum, QuestionSizeSquareSum = clustered.ClusterSizeSquareSum,
        };
        var summary = ResultAggregator.Summarize(["chain_sum"], ["a"], [repeated, TestJobs.Result("chain_sum", "a", 1, 0, 1)], Run);

        var cell = summary.Rows.Single();
        Assert.Equal(4.0 / 6, cell.Accuracy, 12);
        Assert.Equal(Math.Sqrt(5.0 / 4 * (14.0 / 9) / 36), cell.StdErr, 12);
        Assert.Equal((6, 5L), (cell.N, cell.Questions));
        // The same six scores as independent items: s² = (4 − 16/6) / 5, se = √(s²/6) — smaller.
        Assert.True(cell.StdErr > Math.Sqrt((4 - 16.0 / 6) / 5 / 6));
        Assert.Contains("chain_sum 5 distinct of 6", MarkdownSummary.Render(summary));
        Assert.DoesNotContain("distinct of", MarkdownSummary.Render(Synthetic()));
    }

    [Fact]
    public void Standard_error_is_zero_below_two_samples()
    {
        Assert.Equal((1.0, 0.0), CellStatistics.MeanAndStdErr(1, 1, 1));
        Assert.Equal((0.0, 0.0), CellStatistics.MeanAndStdErr(0, 0, 0));
    }

    [Fact]
    public void Summary_markdown_matches_snapshot()
    {
        var markdown = MarkdownSummary.Render(Synthetic());

        Assert.Contains("| chain_sum | 62.5 ± 18.3 | 100.0 ± 0.0 |", markdown);
        Snapshot.Match(markdown);
    }

    [Fact]
    public void Results_json_schema_matches_snapshot()
    {
        var summary = Synthetic();
        var all = JsonSerializer.Serialize(summary, HierJson.Indented);
        var perTask = JsonSerializer.Serialize(ResultAggregator.ForTask(summary, "chain_sum"), HierJson.Indented);

        Snapshot.Match(all + "\n---\n" + perTask);
        var back = JsonSerializer.Deserialize<BenchmarkSummary>(all, HierJson.Options)!;
        Assert.Equal(summary.Rows, back.Rows);
        Assert.Equal(summary.Averages, back.Averages);
    }
}
