using HierReason.Core.Results;
using ScottPlot;

namespace HierReason.Harness.Reporting;

/// <summary>
/// The history chart decided down to what is drawn (in percent), then drawn with ScottPlot as SVG or PNG: x is the run
/// index with the runs' labels as ticks, one line with markers per row (rows dodged a little apart at each run so equal
/// values stay visible), whiskers from the Wilson interval.
/// </summary>
/// <param name="Series">One per history row, in the rows' order; its colour is its index in <see cref="ChartRenderer.Palette"/>.</param>
/// <param name="Ticks">One per run, at its index.</param>
/// <param name="YMin">Bottom of the y axis (%): the lowest whisker less a margin, on a multiple of 10, never below 0.</param>
/// <param name="YMax">Top of the y axis (%), likewise, never above 100.</param>
public sealed record HistoryChart(
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<HistorySeries> Series,
    IReadOnlyList<ChartTick> Ticks,
    double YMin,
    double YMax,
    bool RotateTicks,
    int Width,
    int Height)
{
    private const int LegendPixels = 380;

    public static HistoryChart Of(AccuracyHistory history)
    {
        // Rows side by side at a run, each a little off the tick, so equal accuracies do not hide each other's whiskers.
        var step = Math.Min(0.06, 0.5 / Math.Max(1, history.Rows.Count));
        var series = history.Rows.Select((row, i) => new HistorySeries(
            row.Name,
            row.Points.Select(p => p.Run + (i - (history.Rows.Count - 1) / 2.0) * step).ToList(),
            row.Points.Select(p => p.Accuracy * 100).ToList(),
            row.Points.Select(p => p.CiLow * 100).ToList(),
            row.Points.Select(p => p.CiHigh * 100).ToList(),
            i)).ToList();
        var ticks = history.Runs.Select(r => new ChartTick(r.Index, r.Label)).ToList();
        var lows = series.SelectMany(s => s.Lows).DefaultIfEmpty(0).Min();
        var highs = series.SelectMany(s => s.Highs).DefaultIfEmpty(100).Max();
        var yMin = Math.Max(0, Math.Floor((lows - 5) / 10) * 10);
        var yMax = Math.Min(100, Math.Ceiling((highs + 5) / 10) * 10);
        if (yMax - yMin < 10) (yMin, yMax) = (Math.Max(0, yMax - 10), Math.Max(10, yMax));

        var width = Math.Max(1000, 90 * ticks.Count + LegendPixels);
        var labelPixels = ticks.Select(t => t.Label.Length).DefaultIfEmpty(0).Max() * 8 + 16;
        var rotate = ticks.Count * labelPixels > width - LegendPixels - 80;
        return new HistoryChart($"Accuracy across runs (whiskers: {ProportionInterval.Kind})", "Run (oldest first)", "Accuracy (%)",
            series, ticks, yMin, yMax, rotate, width, rotate ? 700 : 600);
    }

    public byte[] RenderPng()
    {
        using var plot = Draw();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    public string RenderSvg()
    {
        using var plot = Draw();
        return plot.GetSvgXml(Width, Height);
    }

    private Plot Draw()
    {
        var plot = new Plot();
        plot.Font.Set(ChartRenderer.FontName, FontWeight.Normal, FontSlant.Upright, FontSpacing.Normal);
        plot.Title(Title, 16);
        plot.XLabel(XLabel, 14);
        plot.YLabel(YLabel, 14);
        foreach (var s in Series)
        {
            var colour = Color.FromHex(ChartRenderer.Palette[s.Colour % ChartRenderer.Palette.Count]);
            var whiskers = new ScottPlot.Plottables.ErrorBar(
                xs: s.Xs.ToList(), ys: s.Ys.ToList(), xErrorsNegative: null, xErrorsPositive: null,
                yErrorsNegative: s.Ys.Zip(s.Lows, (y, low) => y - low).ToList(),
                yErrorsPositive: s.Highs.Zip(s.Ys, (high, y) => high - y).ToList())
            {
                Color = colour,
                LineWidth = 1.5f,
                CapSize = 6,
            };
            plot.Add.Plottable(whiskers);
            var line = plot.Add.Scatter(s.Xs.ToArray(), s.Ys.ToArray(), colour);
            line.LegendText = s.Legend;
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Ticks.Select(t => t.Position).ToArray(), Ticks.Select(t => t.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        if (RotateTicks)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 140;
        }
        plot.Grid.YAxisStyle.MajorLineStyle.Color = Colors.Black.WithAlpha(0.12);
        plot.Grid.XAxisStyle.MajorLineStyle.Color = Colors.Black.WithAlpha(0.06);
        plot.Axes.SetLimits(-0.5, Math.Max(0.5, Ticks.Count - 0.5), YMin, YMax);
        if (Series.Count > 0)
        {
            plot.Legend.FontSize = 12;
            plot.Legend.FontName = ChartRenderer.FontName;
            plot.ShowLegend(Edge.Right);
        }
        return plot;
    }
}

/// <summary>One row's points on the history chart: x (the run's index, nudged aside per row), y and its interval in percent.</summary>
/// <param name="Legend">"task × model (strategy)".</param>
public sealed record HistorySeries(
    string Legend,
    IReadOnlyList<double> Xs,
    IReadOnlyList<double> Ys,
    IReadOnlyList<double> Lows,
    IReadOnlyList<double> Highs,
    int Colour);
