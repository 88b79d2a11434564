using ScottPlot;

namespace HierReason.Harness.Reporting;

/// <summary>Draws a <see cref="ChartLayout"/> with ScottPlot into PNG bytes; the same layout always gives the same image.</summary>
public static class ChartRenderer
{
    /// <summary>Series colours (Tableau 20, strong shades first), by <see cref="ChartBar.Colour"/>; they repeat past twenty models.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        [
            "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
            "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
        ];

    /// <summary>The colour of the markers' lines: near black, so it reads on every palette colour and on the white background.</summary>
    public const string MarkerColour = "#1a1a1a";

    /// <summary>The whiskers' colour: dark, and apart from the bars' outline (#333333) and the markers, so tests can find them.</summary>
    public const string WhiskerColour = "#4d4d4d";

    private const float MarkerWidth = 3;

    /// <summary>The charts' font, the same everywhere so the same layout gives the same image.</summary>
    internal const string FontName = "DejaVu Sans";

    public static byte[] RenderPng(ChartLayout layout)
    {
        using var plot = Draw(layout);
        return plot.GetImageBytes(layout.Width, layout.Height, ImageFormat.Png);
    }

    /// <summary>The same chart as SVG text.</summary>
    public static string RenderSvg(ChartLayout layout)
    {
        using var plot = Draw(layout);
        return plot.GetSvgXml(layout.Width, layout.Height);
    }

    private static Plot Draw(ChartLayout layout)
    {
        var plot = new Plot();
        plot.Font.Set(FontName, FontWeight.Normal, FontSlant.Upright, FontSpacing.Normal);
        plot.Title(layout.Title, 18);
        plot.YLabel(layout.YLabel, 15);
        // What the whiskers are goes with the x axis label, where a reader looks for what the chart shows.
        var xLabel = string.Join("  ·  ", new[] { layout.XLabel, layout.Whiskers }.Where(s => s.Length > 0));
        if (xLabel.Length > 0) plot.XLabel(xLabel, 15);

        AddBars(plot, layout);
        AddWhiskers(plot, layout);
        AddMarkers(plot, layout);
        AddValueLabels(plot, layout);
        foreach (var x in layout.Separators)
        {
            var line = plot.Add.VerticalLine(x);
            line.LineColor = Colors.Gray.WithAlpha(0.8);
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
        }
        ConfigureAxes(plot, layout);
        AddLegend(plot, layout);
        return plot;
    }

    private static Color ColourOf(int index) => Color.FromHex(Palette[index % Palette.Count]);

    private static void AddBars(Plot plot, ChartLayout layout)
    {
        var bars = layout.Bars.Select(b => new Bar
        {
            Position = b.Position,
            Size = b.Width,
            Value = b.Value,
            ValueBase = 0,
            // Whiskers are drawn apart (AddWhiskers): a bar's own error is symmetric, an interval near 0 % or 100 % is not.
            Error = 0,
            FillColor = ColourOf(b.Colour),
            LineColor = Color.FromHex("#333333"),
            LineWidth = 1,
        }).ToList();
        if (bars.Count > 0) plot.Add.Bars(bars);
    }

    // One ErrorBar for all bars, reaching ErrorLow below and ErrorHigh above each value; a bar without either has none.
    private static void AddWhiskers(Plot plot, ChartLayout layout)
    {
        var whiskered = layout.Bars.Where(b => b.ErrorLow > 0 || b.ErrorHigh > 0).ToList();
        if (whiskered.Count == 0) return;
        var whiskers = plot.Add.ErrorBar(
            whiskered.Select(b => b.Position).ToList(), whiskered.Select(b => b.Value).ToList(), whiskered.Select(b => b.ErrorHigh).ToList());
        whiskers.YErrorNegative = whiskered.Select(b => b.ErrorLow).ToList();
        whiskers.YErrorPositive = whiskered.Select(b => b.ErrorHigh).ToList();
        whiskers.Color = Color.FromHex(WhiskerColour);
        whiskers.LineWidth = 1.5f;
        whiskers.CapSize = 6;
    }

    // A line across the bar's whole width at the marker's height: the bar's top meets it exactly when the model does no
    // better than the constant answer.
    private static void AddMarkers(Plot plot, ChartLayout layout)
    {
        foreach (var b in layout.Bars)
        {
            if (b.Marker is not { } y) continue;
            var line = plot.Add.Line(b.Position - b.Width / 2, y, b.Position + b.Width / 2, y);
            line.LineColor = Color.FromHex(MarkerColour);
            line.LineWidth = MarkerWidth;
            line.MarkerSize = 0;
        }
    }

    private static void AddValueLabels(Plot plot, ChartLayout layout)
    {
        var narrowest = layout.Bars.Count == 0 ? 1 : layout.Bars.Min(b => b.Width);
        // Shrink the text when bars are narrow so neighbouring labels do not collide.
        var size = narrowest >= 0.25 ? 13f : 11f;
        foreach (var b in layout.Bars)
        {
            var text = plot.Add.Text(b.ValueText, b.Position, Math.Min(b.High, 104));
            text.Alignment = Alignment.LowerCenter;
            text.LabelFontSize = size;
            text.LabelBold = true;
            text.LabelFontName = FontName;
            text.LabelFontColor = Colors.Black;
            text.OffsetY = -4;
        }
    }

    private static void ConfigureAxes(Plot plot, ChartLayout layout)
    {
        var left = Enumerable.Range(0, 11).Select(i => i * 10.0).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(left, left.Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = 13;

        var bottom = new ScottPlot.TickGenerators.NumericManual(
            layout.Ticks.Select(t => t.Position).ToArray(), layout.Ticks.Select(t => t.Label).ToArray());
        plot.Axes.Bottom.TickGenerator = bottom;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        var xs = layout.Ticks.Select(t => t.Position).Concat(layout.Bars.Select(b => b.Position)).DefaultIfEmpty(0).ToList();
        var halfBar = layout.Bars.Count == 0 ? 0.5 : layout.Bars.Max(b => b.Width) / 2;
        var (xMin, xMax) = (xs.Min() - halfBar - 0.35, xs.Max() + halfBar + 0.35);
        if (layout.RotateTicks) Slant(plot, layout, xMax - xMin, layout.Ticks.Min(t => t.Position) - xMin);

        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Grid.YAxisStyle.MajorLineStyle.Color = Colors.Black.WithAlpha(0.12);

        plot.Axes.SetLimits(xMin, xMax, 0, ChartLayout.YTop);
    }

    // Slanted tick labels hang down and to the left of their tick: reserve their measured height below the axis,
    // and room on the left for the first one, so no name is cut off.
    private static void Slant(Plot plot, ChartLayout layout, double xRange, double firstTickFromLeft)
    {
        const double angle = 40;
        var style = plot.Axes.Bottom.TickLabelStyle;
        style.Rotation = -(float)angle;
        style.Alignment = Alignment.MiddleRight;
        using var paint = Paint.NewDisposablePaint();
        var widths = layout.Ticks.Select(t => (double)style.Measure(t.Label, paint).Size.Width).ToList();
        var (sin, cos) = Math.SinCos(angle * Math.PI / 180);
        plot.Axes.Bottom.MinimumSize = (float)Math.Min(layout.Height * 0.5, widths.Max() * sin + 24);
        // The data area is roughly the image less the y axis and (for grouped charts) the legend.
        var dataPixels = layout.Width - (HasLegend(layout) ? 260 : 90);
        var tickPixels = dataPixels * firstTickFromLeft / xRange;
        plot.Axes.Left.MinimumSize = (float)Math.Clamp(widths[0] * cos - tickPixels + 16, 60, layout.Width * 0.3);
    }

    private static bool HasLegend(ChartLayout layout) => layout.Legend.Count > 0 || layout.MarkerLabel is not null;

    private static void AddLegend(Plot plot, ChartLayout layout)
    {
        if (!HasLegend(layout)) return;
        for (var i = 0; i < layout.Legend.Count; i++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = layout.Legend[i], FillColor = ColourOf(i), OutlineColor = ColourOf(i).Darken(0.3) });
        if (layout.MarkerLabel is { } marker)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = marker, LineColor = Color.FromHex(MarkerColour), LineWidth = MarkerWidth });
        plot.Legend.FontSize = 13;
        plot.Legend.FontName = FontName;
        plot.ShowLegend(Edge.Right);
    }
}
