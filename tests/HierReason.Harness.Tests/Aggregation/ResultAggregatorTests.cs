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

    // chain_sum seed 0 has gold answers 5 7 5 9, seed 1 has 7 7 5 3; leg_counting seed 0 has 4 4 8 6.
    private static readonly string[] ChainGold0 = ["5", "7", "5", "9"];
    private static readonly string[] ChainGold1 = ["7", "7", "5", "3"];
    private static readonly string[] LegGold0 = ["4", "4", "8", "6"];

    private static BenchmarkSummary Synthetic()
    {
        var failed = JobResult.FailedWith(TestJobs.Job("leg_counting", "b"), "worker exited with code 137", 12) with { FinishedAt = Run.StartedAt };
        return ResultAggregator.Summarize(
            ["chain_sum", "leg_counting"],
            ["a", "b"],
            [
                TestJobs.Answered("chain_sum", "a", 0, ChainGold0, ["5", "1", "5", "9"]), // scores 1 0 1 1
                TestJobs.Answered("chain_sum", "a", 1, ChainGold1, ["5", "5", "5", "3"]), // 0 0 1 1
                TestJobs.Answered("leg_counting", "a", 0, LegGold0, ["4", "4", "4", "4"]), // 1 1 0 0: one answer for everything
                TestJobs.Answered("chain_sum", "b", 0, ChainGold0, ChainGold0), // 1 1 1 1
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
        // The Kish effective n, p(1 − p) ÷ se² = (2/9) ÷ (70/1296) = 4.11, is below even the 5 distinct questions.
        Assert.Equal(288.0 / 70, cell.EffectiveN, 9);
        Assert.Contains("chain_sum × a: 6 samples of only 5 distinct questions — the interval uses the effective n ≈ 4", MarkdownSummary.Render(summary));
        Assert.DoesNotContain("distinct questions —", MarkdownSummary.Render(Synthetic()));
    }

    [Fact]
    public void Answer_diagnostics_pool_over_the_union_of_the_seeds_items()
    {
        var summary = Synthetic();

        // a on chain_sum, both seeds: given 5 ×5, 1, 9, 3 → 4 distinct, the top on 5 of 8; gold 5 ×3, 7 ×3, 9, 3 → 4 distinct.
        // 5 and 7 tie as the most common gold answer; 5 came first: right on 3 of 8 (each seed alone would say 2 of 4).
        var a = summary.Rows.Single(r => r.Task == "chain_sum" && r.Model == "a");
        Assert.Equal((4, 4), (a.DistinctAnswers, a.GoldDistinctAnswers));
        Assert.Equal(5.0 / 8, a.TopAnswerShare!.Value, 12);
        Assert.Equal(3.0 / 8, a.ConstantAnswerAccuracy!.Value, 12);
        // a on leg_counting answered 4 to everything: one answer, accuracy equal to the constant answer's.
        var legs = summary.Rows.Single(r => r.Task == "leg_counting" && r.Model == "a");
        Assert.Equal((1, 3, 1.0, 0.5, 0.5), (legs.DistinctAnswers, legs.GoldDistinctAnswers, legs.TopAnswerShare, legs.ConstantAnswerAccuracy, legs.Accuracy));
        // A failed cell has none.
        Assert.Null(summary.Rows.Single(r => r.Task == "leg_counting" && r.Model == "b").DistinctAnswers);
    }

    [Fact]
    public void A_cell_with_a_result_from_before_the_diagnostics_has_none_rather_than_part_of_them()
    {
        var summary = ResultAggregator.Summarize(["chain_sum"], ["a"],
            [TestJobs.Answered("chain_sum", "a", 0, ChainGold0, ChainGold0), TestJobs.Result("chain_sum", "a", 1, 1, 0)], Run);
        var row = summary.Rows.Single();
        Assert.Equal(6, row.N);
        Assert.Null(row.DistinctAnswers);
        Assert.Null(row.ConstantAnswerAccuracy);
        Assert.DoesNotContain("distinct_answers", JsonSerializer.Serialize(row, HierJson.Options));
        Assert.DoesNotContain("## Answers", MarkdownSummary.Render(summary));
    }

    [Fact]
    public void Pass_and_maj_at_k_pool_over_seeds_weighted_by_items_and_get_their_own_table()
    {
        // Seed 0: 4 items, pass@4 0.75, maj@4 0.5, one sample 0.5. Seed 1: 2 items, 0.5, 0, 0.25.
        // Pooled: pass (3 + 1) / 6, maj (2 + 0) / 6, one sample (2 + 0.5) / 6.
        JobResult Sampled(long seed, double pass, double maj, double one, params double[] scores) =>
            TestJobs.Result("chain_sum", "s", seed, scores) with { SamplesPerItem = 4, PassAtK = pass, MajAtK = maj, SampleAccuracy = one };
        var summary = ResultAggregator.Summarize(["chain_sum", "leg_counting"], ["a", "s"],
            [
                TestJobs.Result("chain_sum", "a", 0, 1, 0),
                Sampled(0, 0.75, 0.5, 0.5, 1, 0, 1, 0),
                Sampled(1, 0.5, 0, 0.25, 0, 0),
                TestJobs.Result("leg_counting", "a", 0, 1, 0),
            ],
            Run);

        var row = summary.Rows.Single(r => r.Model == "s");
        Assert.Equal(4, row.SamplesPerItem);
        Assert.Equal(4.0 / 6, row.PassAtK!.Value, 12);
        Assert.Equal(2.0 / 6, row.MajAtK!.Value, 12);
        Assert.Equal(2.5 / 6, row.SampleAccuracy!.Value, 12);
        Assert.Equal(2.0 / 6, row.Accuracy, 12); // the first samples
        var one = summary.Rows.Single(r => r.Task == "chain_sum" && r.Model == "a");
        Assert.Null(one.SamplesPerItem);
        Assert.DoesNotContain("pass_at_k", JsonSerializer.Serialize(one, HierJson.Options));

        var markdown = MarkdownSummary.Render(summary);
        Assert.Contains("## Sampled", markdown);
        Assert.Contains("| Task | s (k = 4) |", markdown);
        Assert.Contains("| chain_sum | 66.7 / 33.3 / 41.7 |", markdown);
        Assert.Contains("| leg_counting | — |", markdown);
        Assert.DoesNotContain("## Sampled", MarkdownSummary.Render(Synthetic()));
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

        // 5 of 8 with the clustered se 18.3: effective n 7, [28.9 %, 87.2 %]; 4 of 4: [51.0 %, 100 %] (± would say 100.0 ± 0.0).
        Assert.Contains("| chain_sum | 62.5 % [28.9, 87.2] | 100.0 % [51.0, 100.0] |", markdown);
        // The answers table: the constant answer per task (a range where models saw different items), distinct / gold · top.
        Assert.Contains("| chain_sum | 37.5–50.0 | 4 / 4 · 63% | 3 / 3 · 50% |", markdown);
        Assert.Contains("| leg_counting | 50.0 | 1 / 3 · 100% | failed |", markdown);
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
