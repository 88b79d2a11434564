using HierReason.Core.Results;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Reporting;

public sealed class AccuracyHistoryTests
{
    private static ScoreRow Row(double accuracy, double low, double high, string task = "leg_counting", string model = "tiny-sft", int n = 200) =>
        SampleResults.Row(task, model, accuracy, n: n) with { CiLow = low, CiHigh = high };

    private static (string, BenchmarkSummary) Run(string file, string? commit, int hour, string timestamp, params ScoreRow[] rows) =>
        (file, SampleResults.Summary(rows) with
        {
            Run = SampleResults.Run(timestamp) with { GitCommit = commit, StartedAt = new DateTimeOffset(2026, 1, 1, hour, 0, 0, TimeSpan.Zero) },
        });

    [Fact]
    public void Runs_are_ordered_by_start_time_then_timestamp_then_file()
    {
        var history = AccuracyHistory.Build(
        [
            Run("z.json", "cccccccc", 9, "20260101-090000", Row(0.3, 0.2, 0.4)),
            Run("b.json", "bbbbbbbb", 8, "20260101-080001", Row(0.2, 0.1, 0.3)),
            Run("a.json", "aaaaaaaa", 8, "20260101-080000", Row(0.1, 0.05, 0.2)),
            Run("c.json", "dddddddd", 8, "20260101-080001", Row(0.25, 0.15, 0.35)),
        ]);
        Assert.Equal(["a.json", "b.json", "c.json", "z.json"], history.Runs.Select(r => r.File));
        Assert.Equal([0, 1, 2, 3], history.Runs.Select(r => r.Index));
        Assert.Equal([0.1, 0.2, 0.25, 0.3], Assert.Single(history.Rows).Points.Select(p => p.Accuracy));
    }

    [Fact]
    public void A_commit_run_again_is_numbered_and_a_run_without_one_is_labelled_by_its_timestamp()
    {
        var history = AccuracyHistory.Build(
        [
            Run("1.json", "abc1234def", 1, "20260101-010000", Row(0.5, 0.4, 0.6)),
            Run("2.json", "abc1234def", 2, "20260101-020000", Row(0.5, 0.4, 0.6)),
            Run("3.json", null, 3, "20260101-030000", Row(0.5, 0.4, 0.6)),
            Run("4.json", "abc1234def", 4, "20260101-040000", Row(0.5, 0.4, 0.6)),
        ]);
        Assert.Equal(["abc1234", "abc1234 (2)", "20260101-030000", "abc1234 (3)"], history.Runs.Select(r => r.Label));
        Assert.Equal(["abc1234def", "abc1234def", null, "abc1234def"], history.Runs.Select(r => r.Commit));
    }

    [Fact]
    public void A_cell_that_scored_nothing_has_no_point_in_that_run()
    {
        var history = AccuracyHistory.Build(
        [
            Run("1.json", "a", 1, "20260101-010000", Row(0.5, 0.4, 0.6)),
            Run("2.json", "b", 2, "20260101-020000", SampleResults.Row("leg_counting", "tiny-sft", 0, 0, n: 0)),
            Run("3.json", "c", 3, "20260101-030000", Row(0.6, 0.5, 0.7)),
        ]);
        Assert.Equal([0, 2], Assert.Single(history.Rows).Points.Select(p => p.Run));
    }

    [Fact]
    public void Rows_are_told_apart_by_cell_model_and_strategy_in_order_of_first_appearance()
    {
        var history = AccuracyHistory.Build(
        [
            Run("1.json", "a", 1, "20260101-010000", Row(0.5, 0.4, 0.6)),
            Run("2.json", "b", 2, "20260101-020000", Row(0.5, 0.4, 0.6),
                Row(0.3, 0.2, 0.4, model: "tiny-calc") with { Strategy = "calculator" },
                Row(0.2, 0.1, 0.3) with { Task = "multi_hop_lookup", Level = 2 }),
        ]);
        Assert.Equal(["leg_counting × tiny-sft (vanilla)", "leg_counting × tiny-calc (calculator)", "multi_hop_lookup (level 2) × tiny-sft (vanilla)"],
            history.Rows.Select(r => r.Name));
    }

    [Fact]
    public void Leaving_the_previous_interval_and_intervals_apart_are_two_different_flags()
    {
        var history = AccuracyHistory.Build(
        [
            Run("1.json", "a", 1, "20260101-010000", Row(0.50, 0.40, 0.60), Row(0.50, 0.40, 0.60, task: "chain_sum"), Row(0.50, 0.40, 0.60, task: "basic_arithmetic")),
            Run("2.json", "b", 2, "20260101-020000", Row(0.65, 0.55, 0.75), Row(0.75, 0.65, 0.85, task: "chain_sum"), Row(0.45, 0.35, 0.55, task: "basic_arithmetic")),
        ]);
        var (moved, apart, same) = (history.Rows[0], history.Rows[1], history.Rows[2]);
        Assert.Equal((true, false), (moved.LeftPreviousInterval, moved.Separated));
        Assert.Equal((true, true), (apart.LeftPreviousInterval, apart.Separated));
        Assert.Equal((false, false), (same.LeftPreviousInterval, same.Separated));
        Assert.Equal(["+15.0", "+25.0 ⚠", "-5.0"], history.Rows.Select(HistoryTable.Delta));
    }

    [Fact]
    public void A_row_with_one_point_has_no_delta()
    {
        var history = AccuracyHistory.Build([Run("1.json", "a", 1, "20260101-010000", Row(0.125, 0.074, 0.191))]);
        var row = Assert.Single(history.Rows);
        Assert.Equal("—", HistoryTable.Delta(row));
        Assert.False(row.LeftPreviousInterval);
        Assert.Equal("12.5 % [7.4, 19.1]", HistoryTable.Cell(row.Points[0]));
    }

    [Fact]
    public void The_chart_has_a_tick_per_run_and_a_series_per_row_with_its_interval_in_percent()
    {
        var history = AccuracyHistory.Build(
        [
            Run("1.json", "aaaaaaaa", 1, "20260101-010000", Row(0.125, 0.074, 0.191), Row(0.5, 0.4, 0.6, model: "tiny-grpo")),
            Run("2.json", "bbbbbbbb", 2, "20260101-020000", Row(0.15, 0.10, 0.21)),
        ]);
        var chart = HistoryChart.Of(history);
        Assert.Contains("whiskers: 95 % Wilson interval", chart.Title, StringComparison.Ordinal);
        Assert.Equal([(0.0, "aaaaaaa"), (1.0, "bbbbbbb")], chart.Ticks.Select(t => (t.Position, t.Label)));
        Assert.Equal(["leg_counting × tiny-sft (vanilla)", "leg_counting × tiny-grpo (vanilla)"], chart.Series.Select(s => s.Legend));
        var sft = chart.Series[0];
        Assert.Equal([12.5, 15.0], sft.Ys.Select(y => Math.Round(y, 9)));
        Assert.Equal([7.4, 10.0], sft.Lows.Select(y => Math.Round(y, 9)));
        Assert.Equal([19.1, 21.0], sft.Highs.Select(y => Math.Round(y, 9)));
        // Each point sits near its run's tick, the two rows on either side of it.
        Assert.All(sft.Xs.Zip([0.0, 1.0]), p => Assert.InRange(p.First - p.Second, -0.25, 0));
        Assert.InRange(chart.Series[1].Xs[0], 0, 0.25);
        Assert.Equal((0.0, 70.0), (chart.YMin, chart.YMax));
    }
}
