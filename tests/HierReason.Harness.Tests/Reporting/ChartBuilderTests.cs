using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Reporting;

public class ChartBuilderTests
{
    [Fact]
    public void Comparison_has_one_bar_per_model_with_percent_values_errors_and_labels()
    {
        var layout = ChartBuilder.Comparison(SampleResults.Task(SampleResults.Summary(), "leg_counting"));
        Assert.Equal(["tiny-sft", "tiny-grpo"], layout.Ticks.Select(t => t.Label));
        Assert.Equal([42.5, 61.0], layout.Bars.Select(b => Math.Round(b.Value, 6)));
        // Whiskers over the 95 % Wilson interval: 42.5 % ± 3.5 on n = 200 is [35.85, 49.44] (6.65 below, 6.94 above); 61.0 %
        // (effective n 0.61 · 0.39 ÷ 0.035² = 194.2) is [53.99, 67.58]. The 1.96 · 3.5 = 6.86 of a normal interval lies between.
        Assert.Equal([6.65, 7.01], layout.Bars.Select(b => Math.Round(b.ErrorLow, 2)));
        Assert.Equal([6.94, 6.58], layout.Bars.Select(b => Math.Round(b.ErrorHigh, 2)));
        Assert.Equal(ChartBuilder.TaskWhiskers, layout.Whiskers);
        Assert.Equal(["42.5%", "61.0%"], layout.Bars.Select(b => b.ValueText));
        Assert.Equal("leg_counting: accuracy by model (n = 200)", layout.Title);
        Assert.Equal("Accuracy (%)", layout.YLabel);
        Assert.Empty(layout.Legend);
        Assert.Equal((1000, 600), (layout.Width, layout.Height));
    }

    [Fact]
    public void Renames_change_the_model_names_on_the_axis_and_in_the_legend()
    {
        var summary = SampleResults.Summary();
        var renames = ModelRenames.Parse(["tiny-sft=Tiny SFT (5M)"], null);
        var options = new ChartOptions(Renames: renames);
        Assert.Equal(["Tiny SFT (5M)", "tiny-grpo"], ChartBuilder.Comparison(SampleResults.Task(summary, "chain_sum"), options).Ticks.Select(t => t.Label));
        Assert.Equal(["Tiny SFT (5M)", "tiny-grpo"], ChartBuilder.Summary(summary, options).Legend);
    }

    [Fact]
    public void A_rename_file_is_read_and_command_line_pairs_win_over_it()
    {
        using var dir = new TempDir();
        var file = dir.Combine("names.json");
        File.WriteAllText(file, "{ \"tiny-sft\": \"SFT\", \"tiny-grpo\": \"GRPO\" }");
        var renames = ModelRenames.Parse(["tiny-grpo=GRPO (final)"], file);
        Assert.Equal("SFT", renames.Apply("tiny-sft"));
        Assert.Equal("GRPO (final)", renames.Apply("tiny-grpo"));
        Assert.Equal("other", renames.Apply("other"));
    }

    [Theory]
    [InlineData("no-equals")]
    [InlineData("=new")]
    [InlineData("old=")]
    public void A_rename_without_both_names_is_a_user_error(string pair)
        => Assert.Throws<HierReason.Core.HierReasonException>(() => ModelRenames.Parse([pair], null));

    [Fact]
    public void Summary_groups_bars_per_task_then_an_average_group_behind_a_separator()
    {
        var summary = SampleResults.Summary();
        var layout = ChartBuilder.Summary(summary);
        Assert.Equal(["leg_counting", "basic_arithmetic", "chain_sum", "Average"], layout.Ticks.Select(t => t.Label));
        Assert.Equal(8, layout.Bars.Count);
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1], layout.Bars.Select(b => b.Colour));
        // Each pair sits around its group's tick, model order left to right.
        Assert.Equal([-0.2, 0.2, 0.8, 1.2, 1.8, 2.2, 2.8, 3.2], layout.Bars.Select(b => Math.Round(b.Position, 6)));
        Assert.Equal([2.5], layout.Separators);
        var average = summary.Averages.Single(a => a.Model == "tiny-grpo");
        Assert.Equal(ChartBuilder.Percent(average.Accuracy), layout.Bars[^1].ValueText);
        Assert.Equal("Accuracy by task and model (3 tasks, n = 200)", layout.Title);
    }

    [Fact]
    public void Long_model_names_are_slanted_and_the_image_grows_to_keep_them_whole()
    {
        var summary = SampleResults.Summary(Enumerable.Range(0, 6).Select(m =>
            SampleResults.Row("t", $"organisation/an-unusually-long-model-name-{m}-instruct", 0.5)).ToArray());
        var layout = ChartBuilder.Comparison(SampleResults.Task(summary, "t"));
        Assert.True(layout.RotateTicks);
        Assert.True(layout.Height > ChartBuilder.DefaultHeight);
        Assert.Contains("organisation/an-unusually-long-model-name-5-instruct", layout.Ticks.Select(t => t.Label));
        Assert.False(ChartBuilder.Comparison(SampleResults.Task(SampleResults.Summary(), "chain_sum")).RotateTicks);
    }

    [Fact]
    public void Many_tasks_widen_the_summary_chart()
    {
        var rows = Enumerable.Range(0, 12).SelectMany(t => SampleResults.Models.Select(m => SampleResults.Row($"task{t}", m, 0.3))).ToArray();
        Assert.True(ChartBuilder.Summary(SampleResults.Summary(rows)).Width > ChartBuilder.DefaultWidth);
    }

    [Fact]
    public void A_cell_without_samples_is_drawn_as_no_data_rather_than_zero_percent()
    {
        var summary = SampleResults.Summary(SampleResults.Row("t", "ok", 0.5), SampleResults.Row("t", "crashed", 0, 0, n: 0));
        Assert.Equal(["50.0%", "no data"], ChartBuilder.Comparison(SampleResults.Task(summary, "t")).Bars.Select(b => b.ValueText));
    }

    [Fact]
    public void A_title_and_size_from_the_options_are_used()
    {
        var layout = ChartBuilder.Summary(SampleResults.Summary(), new ChartOptions("Nightly", null, 1400, 800));
        Assert.Equal(("Nightly", 1400, 800), (layout.Title, layout.Width, layout.Height));
        Assert.Throws<HierReason.Core.HierReasonException>(() => ChartBuilder.Summary(SampleResults.Summary(), new ChartOptions(Width: 5)));
    }

    [Fact]
    public void Each_task_bar_is_marked_at_its_constant_answer_accuracy_and_the_averages_are_not()
    {
        var summary = SampleResults.Summary(
            SampleResults.Row("leg_counting", "tiny-sft", 0.425) with { ConstantAnswerAccuracy = 0.4 },
            SampleResults.Row("leg_counting", "tiny-grpo", 0.61) with { ConstantAnswerAccuracy = 0.4 },
            SampleResults.Row("chain_sum", "tiny-sft", 0.125) with { ConstantAnswerAccuracy = 0.125 },
            SampleResults.Row("chain_sum", "tiny-grpo", 0, 0, n: 0) with { ConstantAnswerAccuracy = 0.125 });

        var comparison = ChartBuilder.Comparison(SampleResults.Task(summary, "leg_counting"));
        Assert.Equal([40.0, 40.0], comparison.Bars.Select(b => b.Marker));
        Assert.Equal(ChartBuilder.ConstantAnswerLabel, comparison.MarkerLabel);

        var grouped = ChartBuilder.Summary(summary);
        // leg_counting ×2, chain_sum ×2 (the failed cell's "no data" bar has no marker), then the two averages without markers.
        Assert.Equal([40.0, 40.0, 12.5, null, null, null], grouped.Bars.Select(b => b.Marker is { } m ? Math.Round(m, 9) : (double?)null));
        // The tiny-sft chain_sum bar ends at its marker: no better than always giving the most common answer.
        Assert.Equal(grouped.Bars[2].Value, grouped.Bars[2].Marker!.Value, 9);
        Assert.Equal(ChartBuilder.ConstantAnswerLabel, grouped.MarkerLabel);

        // Results from before the diagnostics: no marker and no legend entry for one.
        Assert.Null(ChartBuilder.Summary(SampleResults.Summary()).MarkerLabel);
        Assert.All(ChartBuilder.Comparison(SampleResults.Task(SampleResults.Summary(), "chain_sum")).Bars, b => Assert.Null(b.Marker));
    }
}
