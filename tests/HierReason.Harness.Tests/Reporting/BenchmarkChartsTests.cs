using HierReason.Harness.Aggregation;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Reporting;

public class BenchmarkChartsTests
{
    [Fact]
    public void WriteAll_writes_a_comparison_per_task_and_the_summary_as_real_pngs_of_the_layout_size()
    {
        using var dir = new TempDir();
        var summary = SampleResults.Summary();
        var perTask = summary.Tasks.Select(t => SampleResults.Task(summary, t)).ToList();
        var outDir = Path.Combine(dir.Path, "results");

        var written = BenchmarkCharts.WriteAll(summary, perTask, outDir);

        Assert.Equal(
            ["comparison_leg_counting_20260101-120000.png", "comparison_basic_arithmetic_20260101-120000.png",
             "comparison_chain_sum_20260101-120000.png", "summary_all_tasks_20260101-120000.png"],
            written.Select(Path.GetFileName));
        foreach (var path in written)
        {
            Assert.Equal((1000, 600), Png.Size(path));
            // Anti-aliased text, bars in two colours, grid lines: a real chart has hundreds of colours; a blank one has 1.
            Assert.True(Png.DistinctColours(path) > 50, $"{path} looks blank");
        }
        // Both models' colours are on the summary (blue and orange bars).
        Assert.True(Png.CountColour(written[^1], ChartRenderer.Palette[0]) > 5000);
        Assert.True(Png.CountColour(written[^1], ChartRenderer.Palette[1]) > 5000);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
    }

    [Fact]
    public void Constant_answer_markers_are_drawn_across_their_bars()
    {
        using var dir = new TempDir();
        var rows = SampleResults.Summary().Rows.Select(r => r with { ConstantAnswerAccuracy = 0.25 }).ToArray();
        var marked = ChartBuilder.Comparison(SampleResults.Task(SampleResults.Summary(rows), "leg_counting"));
        Assert.NotNull(marked.MarkerLabel);
        var plain = marked with { Bars = marked.Bars.Select(b => b with { Marker = null }).ToList(), MarkerLabel = null };

        var withMarkers = Png.CountColour(BenchmarkCharts.Write(marked, dir.Combine("marked.png")), ChartRenderer.MarkerColour);
        var without = Png.CountColour(BenchmarkCharts.Write(plain, dir.Combine("plain.png")), ChartRenderer.MarkerColour);
        // Two bars 0.7 wide on a plot about 2.4 wide: each line is roughly 190 px long and 3 px thick, so well over 800
        // pixels of the marker's colour more (the legend's sample line adds a few).
        Assert.True(withMarkers - without > 800, $"{withMarkers} marker-coloured pixels with markers, {without} without");
        // The bars keep their colours: a marker is a line across the bar, not a second bar.
        Assert.True(Png.CountColour(dir.Combine("marked.png"), ChartRenderer.Palette[0]) > 5000);
    }

    [Fact]
    public void Whiskers_are_drawn_from_the_interval_not_mirrored_about_the_bar()
    {
        using var dir = new TempDir();
        // One bar at 20 % whose interval is [15 %, 60 %]: the whisker reaches 40 points above the top and 5 below. No title
        // or value text, so only the whisker has its colour over the bar's columns above the axis.
        var layout = new ChartLayout("", "", ChartBuilder.AccuracyAxis, [new ChartBar(0, 0.5, 20, 5, 40, "", 0)],
            [new ChartTick(0, "m")], [], [], false, 600, 600, Whiskers: ChartBuilder.TaskWhiskers);
        var path = BenchmarkCharts.Write(layout, dir.Combine("lopsided.png"));

        var (above, below, top) = Reach(path);
        Assert.True(below > 0, $"the whisker should reach below the bar's top ({below} px)");
        Assert.InRange(above / (double)below, 6, 10);
        // The symmetric error of old (± 5) reaches as far above as below.
        var symmetric = BenchmarkCharts.Write(layout with { Bars = [layout.Bars[0] with { ErrorHigh = 5 }] }, dir.Combine("symmetric.png"));
        var (evenAbove, evenBelow, _) = Reach(symmetric);
        Assert.InRange(evenAbove / (double)evenBelow, 0.7, 1.4);
        Assert.True(evenAbove * 4 < above, $"{evenAbove} px above with ± 5, {above} px with +40");
    }

    // Pixels from the bar's top up to the whisker's top and down to its bottom (rows grow downwards).
    private static (int Above, int Below, int Top) Reach(string path)
    {
        var columns = Png.Columns(path, ChartRenderer.Palette[0]);
        var bar = Png.Rows(path, ChartRenderer.Palette[0], columns.Min(), columns.Max());
        var whisker = Png.Rows(path, ChartRenderer.WhiskerColour, columns.Min(), columns.Max()).Where(y => y < bar.Max()).ToList();
        Assert.NotEmpty(whisker);
        return (bar.Min() - whisker.Min(), whisker.Max() - bar.Min(), whisker.Min());
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes()
    {
        using var dir = new TempDir();
        var layout = ChartBuilder.Summary(SampleResults.Summary());
        var a = BenchmarkCharts.Write(layout, dir.Combine("a.png"));
        var b = BenchmarkCharts.Write(layout, dir.Combine("b.png"));
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void A_requested_size_is_the_png_size()
    {
        using var dir = new TempDir();
        var path = BenchmarkCharts.Write(ChartBuilder.Comparison(SampleResults.Task(SampleResults.Summary(), "chain_sum"), new ChartOptions(Width: 640, Height: 480)), dir.Combine("c.png"));
        Assert.Equal((640, 480), Png.Size(path));
    }

    [Fact]
    public void The_results_writer_of_bench_and_collect_also_writes_both_kinds_of_chart()
    {
        using var dir = new TempDir();
        var written = ResultsWriter.Write(SampleResults.Summary(), dir.Path);
        var charts = written.Where(p => p.EndsWith(".png", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        Assert.Equal(
            ["comparison_leg_counting_20260101-120000.png", "comparison_basic_arithmetic_20260101-120000.png",
             "comparison_chain_sum_20260101-120000.png", "summary_all_tasks_20260101-120000.png"], charts);
        Assert.All(written, p => Assert.True(File.Exists(p), p));
    }

    [Fact]
    public void A_task_without_rows_and_a_single_model_still_give_valid_charts()
    {
        using var dir = new TempDir();
        var summary = SampleResults.Summary(SampleResults.Row("only_task", "only-model", 1.0, 0));
        var empty = SampleResults.Task(summary, "only_task") with { Rows = [] };
        var written = BenchmarkCharts.WriteAll(summary, [empty], dir.Path);
        Assert.All(written, p => Assert.Equal((1000, 600), Png.Size(p)));
    }
}
