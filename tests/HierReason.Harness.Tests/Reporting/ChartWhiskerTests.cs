using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Reporting;

/// <summary>Chart whiskers over the 95 % Wilson interval, and sample sizes that name repeated questions (issue 21).</summary>
public class ChartWhiskerTests
{
    [Fact]
    public void Whiskers_reach_over_the_rows_wilson_interval_which_is_lopsided_near_zero()
    {
        // 0 of 48: [0, 7.41 %] — nothing below the bar, 7.41 points above. A stored interval is used as it is.
        var summary = SampleResults.Summary(
            SampleResults.Row("t", "none", 0, 0, n: 48),
            SampleResults.Row("t", "stored", 0.5) with { CiLow = 0.40, CiHigh = 0.55 });
        var layout = ChartBuilder.Comparison(SampleResults.Task(summary, "t"));
        Assert.Equal([0, 10], layout.Bars.Select(b => Math.Round(b.ErrorLow, 9)));
        Assert.Equal([7.41, 5], layout.Bars.Select(b => Math.Round(b.ErrorHigh, 2)));
        Assert.Equal([0, 40], layout.Bars.Select(b => Math.Round(b.Low, 9)));
        Assert.Equal("whiskers: 95 % Wilson interval", layout.Whiskers);

        // The Average bars keep ± standard error (never below 0), and the summary chart says so.
        var grouped = ChartBuilder.Summary(summary);
        var average = grouped.Bars[^1];
        Assert.Equal((50.0, 0.0), (Math.Round(average.Value, 9), average.ErrorLow - average.ErrorHigh));
        Assert.Equal("whiskers: 95 % Wilson interval (Average: ± standard error)", grouped.Whiskers);
    }

    [Fact]
    public void The_title_names_the_distinct_questions_when_rows_repeat_them()
    {
        var repeated = SampleResults.Summary(
            SampleResults.Row("letter_counting", "tiny-sft", 0.2) with { Questions = 41 },
            SampleResults.Row("letter_counting", "tiny-grpo", 0.3) with { Questions = 41 });
        Assert.Equal("letter_counting: accuracy by model (n = 200 (41 distinct))", ChartBuilder.Comparison(SampleResults.Task(repeated, "letter_counting")).Title);
        var mixed = SampleResults.Summary(
            SampleResults.Row("a", "m", 0.2) with { Questions = 41 },
            SampleResults.Row("b", "m", 0.3, n: 100) with { Questions = 100 });
        Assert.Equal("Accuracy by task and model (2 tasks, n = 100–200 (41–100 distinct))", ChartBuilder.Summary(mixed).Title);
    }
}
