using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Harness.Aggregation;
using HierReason.Harness.Hierarchical;

namespace HierReason.Harness.Tests.Hierarchical;

public sealed class HierarchicalReportTests
{
    private const string Task = "multi_step_arithmetic";

    private static readonly RunMetadata Run = new("run-0123456789ab", "20261207-040000", DateTimeOffset.UnixEpoch, 60, null, "test", ["cpu:0"],
        new Dictionary<string, string>());

    private static EpisodeStats Planner(double decomposed, double subproblems, double tokens, double gold = 0, double solved = 0) => new(new Dictionary<string, double>
    {
        ["decomposed"] = decomposed,
        ["subproblems"] = subproblems,
        ["worker_tokens"] = tokens,
        ["parse_failed"] = 0,
        ["gold_subproblems"] = gold,
        ["gold_subproblems_solved"] = solved,
    });

    private static ScoreRow Row(string model, double accuracy, double se, EpisodeStats? stats = null) =>
        new(Task, model, accuracy, se, 200, 1, 50, 1, 0, 200, stats is null ? "vanilla" : "planner_worker", Stats: stats);

    private static BenchmarkSummary Summary(params ScoreRow[] rows) =>
        new(BenchmarkSummary.CurrentSchema, Run, [Task], rows.Select(r => r.Model).ToList(), rows, []);

    private static BenchmarkSummary AllFive() => Summary(
        Row("A-worker", 0.30, 0.032),
        Row("B-untrained-planner", 0.25, 0.031, Planner(0.10, 0.25, 60)),
        Row("S-sft-planner", 0.40, 0.035, Planner(0.90, 2.20, 40)),
        Row("C-grpo-planner", 0.45, 0.035, Planner(0.95, 2.30, 38)),
        Row("O-gold-plan", 0.60, 0.035, Planner(1.00, 2.40, 36, gold: 2.40, solved: 2.16)),
        Row("tiny-sft", 0.05, 0.015));

    [Fact]
    public void Gap_closed_and_differences_follow_the_hand_computed_values()
    {
        var task = Assert.Single(HierarchicalReport.Of(AllFive()).Tasks);

        Assert.Equal(["A", "B", "S", "C", "O"], task.Configurations.Select(c => c.Letter)); // tiny-sft has no letter
        // (0.45 − 0.30) / (0.60 − 0.30) = 0.5; delta method with d = 0.3:
        // √(0.035² / 0.09 + 0.032² · 0.15² / 0.0081 + 0.035² · 0.15² / 0.0081) = √0.0198583 = 0.1409196
        Assert.Equal(0.5, task.GapClosed!.Value, 12);
        Assert.Equal(0.1409196, task.GapClosedStdErr!.Value, 6);

        var ca = task.Differences.Single(d => (d.Higher, d.Lower) == ("C", "A"));
        Assert.Equal((0.15, 0.0474236, 3.16298), (Math.Round(ca.Difference, 12), Math.Round(ca.StdErr, 7), Math.Round(ca.Z, 5)));
        Assert.True(ca.Significant);
        var cb = task.Differences.Single(d => (d.Higher, d.Lower) == ("C", "B"));
        Assert.Equal((0.2, 0.0467547, 4.27765), (Math.Round(cb.Difference, 12), Math.Round(cb.StdErr, 7), Math.Round(cb.Z, 5)));
        Assert.Equal(["C−A", "C−B", "S−A", "O−A"], task.Differences.Select(d => $"{d.Higher}−{d.Lower}"));
    }

    [Fact]
    public void The_planner_statistics_and_the_precondition_come_from_the_rows_episode_means()
    {
        var task = HierarchicalReport.Of(AllFive()).Tasks[0];
        var c = task.Configurations.Single(r => r.Letter == "C");
        Assert.Equal((0.95, 2.30, 38.0, 0.0), (c.Decomposed, c.Subproblems, c.WorkerTokens, c.ParseFailed));
        Assert.Equal(0.0, c.Truncated); // not recorded by the row: its episodes never were cut off
        Assert.Null(task.Configurations.Single(r => r.Letter == "A").Decomposed);
        // O: 2.16 of 2.40 gold sub-problems per item solved = 90 %, against 30 % of whole questions by the worker alone.
        var p = task.Precondition!;
        Assert.Equal((0.9, 2.4, 0.30, 0.032), (Math.Round(p.SubproblemAccuracy, 12), p.SubproblemsPerItem, p.WholeAccuracy, p.WholeStdErr));
        Assert.Equal(0.6, p.Margin, 12);
    }

    [Fact]
    public void Without_O_or_with_O_equal_to_A_there_is_no_gap_closed()
    {
        var withoutO = HierarchicalReport.Of(Summary(Row("A-worker", 0.3, 0.03), Row("C-grpo-planner", 0.4, 0.03, Planner(1, 2, 30)))).Tasks[0];
        Assert.Null(withoutO.GapClosed);
        Assert.Null(withoutO.Precondition);
        var flat = HierarchicalReport.Of(Summary(Row("A-worker", 0.3, 0.03), Row("C-grpo-planner", 0.4, 0.03), Row("O-gold-plan", 0.3, 0.03))).Tasks[0];
        Assert.Null(flat.GapClosed);
    }

    [Fact]
    public void A_summary_without_lettered_rows_is_a_user_error()
    {
        var e = Assert.Throws<HierReasonException>(() => HierarchicalReport.Of(Summary(Row("tiny-sft", 0.1, 0.01))));
        Assert.Contains("no scored row of a model named after a configuration letter (A-…, B-…, S-…, C-…, O-…)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_shows_each_configuration_the_gap_and_the_precondition()
    {
        var text = HierarchicalMarkdown.Render(HierarchicalReport.Of(AllFive()));
        Assert.Contains("| **C** | GRPO planner + worker | C-grpo-planner | planner_worker | 45.0 ± 3.5 | 200 | 95.0 % | 2.30 | 38.0 | 0.0 % | 0.0 % |", text);
        Assert.Contains("| **A** | worker alone | A-worker | vanilla | 30.0 ± 3.2 | 200 | — | — | — | — | — |", text);
        Assert.Contains("- C − A: +15.0 points ± 4.7 (z = 3.16), more than 2 combined standard errors", text);
        Assert.Contains("- Gap closed (C − A) / (O − A): 0.50 ± 0.14", text);
        Assert.Contains("- Precondition: the worker solves 90.0 % of single gold sub-problems (2.40 per item, under O) against 30.0 ± 3.2 % of whole questions (A): margin +60.0 points", text);
    }

    [Fact]
    public void The_benchmark_summary_lists_episode_statistics_per_row()
    {
        var text = MarkdownSummary.Render(AllFive());
        Assert.Contains("## Episode statistics", text);
        Assert.Contains("| Task | Model | Strategy | decomposed | gold_subproblems | gold_subproblems_solved | parse_failed | subproblems | worker_tokens |", text);
        Assert.Contains("| multi_step_arithmetic | O-gold-plan | planner_worker | 1 | 2.4 | 2.16 | 0 | 2.4 | 36 |", text);
        Assert.DoesNotContain("| A-worker | vanilla |", text);
    }

    [Fact]
    public void Rows_pool_their_jobs_statistics()
    {
        var jobs = new[] { TestJobs.Result(Task, "C-grpo-planner", 0, 1, 0, 1, 1), TestJobs.Result(Task, "C-grpo-planner", 1, 1, 1) };
        var summary = ResultAggregator.Summarize([Task], ["C-grpo-planner"],
            [jobs[0] with { Stats = Planner(0.75, 2, 30) }, jobs[1] with { Stats = Planner(1, 3, 42) }], Run);
        var stats = summary.Rows[0].Stats!;
        Assert.Equal((5 / 6.0, 14 / 6.0, 204 / 6.0), (stats.Mean("decomposed")!.Value, stats.Mean("subproblems")!.Value, stats.Mean("worker_tokens")!.Value));
    }
}
