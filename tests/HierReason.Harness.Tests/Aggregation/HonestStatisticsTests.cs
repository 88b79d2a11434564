using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Cli;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Aggregation;
using HierReason.Harness.Tests.Reporting;

namespace HierReason.Harness.Tests.Aggregation;

/// <summary>summary.md's intervals, effective n and pass@k curve (issue 21).</summary>
public sealed class HonestStatisticsTests
{
    private static ScoreRow Row(string task, string model, double accuracy, double stdErr, int n, long? questions = null) =>
        new(task, model, accuracy, stdErr, n, 1, 10, 1, 0, questions);

    [Fact]
    public void A_cell_with_nothing_right_shows_its_wilson_interval_not_zero_plus_minus_zero()
    {
        // 0 of 48: [0, z² ÷ (48 + z²)] = [0, 7.41 %]; 48 of 48: [48 ÷ (48 + z²), 1] = [92.6 %, 100 %].
        var markdown = MarkdownSummary.Render(SampleResults.Summary(Row("chain_sum", "a", 0, 0, 48), Row("chain_sum", "b", 1, 0, 48)));
        Assert.Contains("| chain_sum | 0.0 % [0.0, 7.4] | 100.0 % [92.6, 100.0] |", markdown);
        Assert.DoesNotContain("| chain_sum | 0.0 ± 0.0", markdown);
        Assert.Contains("Accuracy in % [95 % Wilson interval on the effective n]", markdown);
        // Averages keep ± standard error, and the note says so.
        Assert.Contains("| **Average** | **0.0 ± 0.0** | **100.0 ± 0.0** |", markdown);
        Assert.Contains("Averages: the unweighted mean over tasks in % ± its standard error", markdown);
    }

    [Fact]
    public void A_row_written_before_rows_carried_intervals_gets_one_computed_and_a_stored_one_is_used_as_it_is()
    {
        // 10 of 20 with the binomial se: effective n 20, [29.9 %, 70.1 %].
        var old = Row("t", "a", 0.5, Math.Sqrt(0.25 / 20), 20);
        Assert.Null(old.CiLow);
        Assert.Contains("| t | 50.0 % [29.9, 70.1] |", MarkdownSummary.Render(SampleResults.Summary(old)));
        var stored = old with { CiLow = 0.25, CiHigh = 0.75 };
        Assert.Contains("| t | 50.0 % [25.0, 75.0] |", MarkdownSummary.Render(SampleResults.Summary(stored)));
    }

    [Fact]
    public void A_row_of_few_distinct_questions_warns_with_its_effective_n()
    {
        var summary = SampleResults.Summary(Row("letter_counting", "tiny-sft", 0, 0, 200, 41), Row("letter_counting", "tiny-grpo", 0.5, 0.0354, 200, 200));
        var markdown = MarkdownSummary.Render(summary);
        // 0 of 200 samples of 41 questions: the interval is 41's, [0, z² ÷ (41 + z²)] = [0, 8.6 %], not 200's 1.9 %.
        Assert.Contains("| letter_counting | 0.0 % [0.0, 8.6] | 50.0 % [", markdown);
        Assert.Contains("- **Warning:** letter_counting × tiny-sft: 200 samples of only 41 distinct questions — the interval uses the effective n ≈ 41", markdown);
        Assert.Equal(["letter_counting × tiny-sft: 200 samples of only 41 distinct questions — the interval uses the effective n ≈ 41"], MarkdownSummary.Warnings(summary));
        Assert.Empty(MarkdownSummary.Warnings(SampleResults.Summary()));
        Assert.Equal("n = 200 (41 distinct)", MarkdownSummary.SampleSize(200, 41));
        Assert.Equal("n = 200", MarkdownSummary.SampleSize(200, 200));
        Assert.Equal("n = 200", MarkdownSummary.SampleSize(200, null));
    }

    [Fact]
    public void The_aggregated_row_carries_the_interval_of_its_effective_n()
    {
        // Two jobs of 4 distinct items each, all wrong: 0 of 8, [0, z² ÷ (8 + z²)].
        var summary = ResultAggregator.Summarize(["chain_sum"], ["a"],
            [TestJobs.Result("chain_sum", "a", 0, 0, 0, 0, 0), TestJobs.Result("chain_sum", "a", 1, 0, 0, 0, 0)], SampleResults.Run());
        var row = summary.Rows.Single();
        var z2 = ProportionInterval.Z95 * ProportionInterval.Z95;
        Assert.Equal(0, row.CiLow!.Value, 12);
        Assert.Equal(z2 / (8 + z2), row.CiHigh!.Value, 12);
        Assert.Equal(8, row.EffectiveN);
    }

    [Fact]
    public void The_unbiased_pass_at_curve_pools_over_seeds_weighted_by_items_and_gets_a_table()
    {
        // Seed 0: 3 items, curve 0.25 / 0.5 / 1. Seed 1: 1 item, 0.75 / 1 / 1. Pooled: (3 · 0.25 + 0.75) / 4 = 0.375,
        // (3 · 0.5 + 1) / 4 = 0.625, 1.
        JobResult Sampled(long seed, double p1, double p2, params double[] scores) =>
            TestJobs.Result("chain_sum", "s", seed, scores) with
            {
                SamplesPerItem = 4,
                PassAtK = 1,
                MajAtK = 0,
                SampleAccuracy = p1,
                PassAt = new ValueMap<int, double> { [1] = p1, [2] = p2, [4] = 1 },
            };
        var summary = ResultAggregator.Summarize(["chain_sum"], ["s"], [Sampled(0, 0.25, 0.5, 1, 0, 0), Sampled(1, 0.75, 1, 1)], SampleResults.Run());

        var row = summary.Rows.Single();
        Assert.Equal([1, 2, 4], row.PassAt!.Keys);
        Assert.Equal(0.375, row.PassAt[1], 12);
        Assert.Equal(0.625, row.PassAt[2], 12);
        Assert.Equal(1, row.PassAt[4], 12);
        Assert.Equal(1.0, row.PassAtK!.Value, 12); // pass@k (k = n) is kept as it was

        var markdown = MarkdownSummary.Render(summary);
        Assert.Contains("## pass@k", markdown);
        Assert.Contains("| Task | Model | samples per item | pass@1 | pass@2 | pass@4 |", markdown);
        Assert.Contains("| chain_sum | s | 4 | 37.5 | 62.5 | 100.0 |", markdown);
        Assert.DoesNotContain("## pass@k", MarkdownSummary.Render(SampleResults.Summary()));

        // The file keeps the curve under string keys, and reads back equal.
        var json = JsonSerializer.Serialize(summary, HierJson.Options);
        Assert.Contains("\"pass_at\":{\"1\":0.375,\"2\":0.625,\"4\":1}", json);
        Assert.Equal(summary.Rows, JsonSerializer.Deserialize<BenchmarkSummary>(json, HierJson.Options)!.Rows);
        // A job from before the curve leaves the cell without one rather than with part of one.
        var mixed = ResultAggregator.Summarize(["chain_sum"], ["s"], [Sampled(0, 0.25, 0.5, 1, 0, 0), Sampled(1, 0.75, 1, 1) with { PassAt = null }], SampleResults.Run());
        Assert.Null(mixed.Rows.Single().PassAt);
        Assert.DoesNotContain("pass_at\"", JsonSerializer.Serialize(mixed.Rows.Single(), HierJson.Options));
    }

    [Fact]
    public async Task Collect_repeats_the_distinct_question_warning_on_stderr()
    {
        using var dir = new TempDir();
        var run = RunLayout.At(dir.Combine("run-honest"));
        var job = run.Place(TestJobs.Job("letter_counting", "tiny-sft", n: 200));
        RunManifest.Of(run, [job], ["cpu:0"], "greedy").Write(run, [job]);
        // 200 items cycling through 41 questions, all wrong.
        var items = Enumerable.Range(0, 200).Select(i => ($"q{i % 41}", 0.0)).ToList();
        var sums = QuestionSums.Of(items, x => x.Item1, x => x.Item2);
        JobResultFile.Write(TestJobs.Result("letter_counting", "tiny-sft", 0, items.Select(x => x.Item2).ToArray()) with
        {
            Questions = sums.Questions,
            QuestionSquareSum = sums.ClusterSquareSum,
            QuestionCrossSum = sums.ClusterCrossSum,
            QuestionSizeSquareSum = sums.ClusterSizeSquareSum,
        }, run.ResultPath(job.Key));

        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await HierReasonCli.RunAsync(["collect", "--run", run.Folder, "--output", dir.Combine("results")], stdout, stderr);

        Assert.True(code == 0, stdout + "\n" + stderr);
        const string Warning = "letter_counting × tiny-sft: 200 samples of only 41 distinct questions — the interval uses the effective n ≈ 41";
        Assert.Contains("warning: " + Warning, stderr.ToString());
        Assert.Contains("- **Warning:** " + Warning, File.ReadAllText(dir.Combine("results", "summary.md")));
        // 0 of 41 effective questions: [0, z² ÷ (41 + z²)] = [0, 8.6 %].
        Assert.Contains("| letter_counting | 0.0 % [0.0, 8.6] |", stdout.ToString());
    }
}
