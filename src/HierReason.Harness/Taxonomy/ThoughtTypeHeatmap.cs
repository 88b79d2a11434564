using System.Globalization;
using HierReason.Harness.Reporting;
using ScottPlot;

namespace HierReason.Harness.Thinking;

/// <summary>
/// The seed's heatmap decided down to what is drawn, then drawn with ScottPlot as PNG or SVG: one line per taxonomy row ×
/// {correct, incorrect} episodes, one column per thought type, each cell shaded and labelled by the type's share of that
/// line's thoughts (a line without episodes is grey, "—").
/// </summary>
/// <param name="Lines">Top to bottom.</param>
/// <param name="Columns">Thought-type labels, left to right: every taxonomy row's types, as first listed.</param>
/// <param name="Shares">Shares[line][column] in [0, 1]; null where the line has no thoughts.</param>
public sealed record ThoughtTypeHeatmap(string Title, IReadOnlyList<string> Lines, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<double?>> Shares, int Width, int Height)
{
    /// <summary>The strongest shade (a share of 1); a share of 0 is white.</summary>
    public const string FullColour = "#1f77b4";

    public static ThoughtTypeHeatmap Of(TaxonomyReport report)
    {
        var rows = report.TaxonomyRows.ToList();
        var columns = new List<(string Id, string Label)>();
        foreach (var type in rows.SelectMany(r => r.Episodes!.Types))
            if (!columns.Any(c => c.Id == type.Id)) columns.Add((type.Id, type.Label));
        var lines = new List<string>();
        var shares = new List<IReadOnlyList<double?>>();
        foreach (var row in rows)
        {
            var e = row.Episodes!;
            foreach (var (name, types, count) in new[] { ("correct", e.TypesCorrect, e.CorrectEpisodes), ("incorrect", e.TypesIncorrect, e.Episodes - e.CorrectEpisodes) })
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{row.Cell} × {row.Model} L{row.TaxonomyLevel?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {name}, {count} episodes"));
                var thoughts = types.Sum(t => t.Count);
                shares.Add(columns.Select(c => thoughts == 0 ? null : (double?)(types.FirstOrDefault(t => t.Id == c.Id)?.Share ?? 0)).ToList());
            }
        }
        // Sized so the labels fit unrotated: the line names on the left, each column as wide as its longest label.
        var labelPixels = lines.Select(l => l.Length).DefaultIfEmpty(0).Max() * 7 + 30;
        var columnPixels = Math.Max(90, columns.Select(c => c.Label.Length).DefaultIfEmpty(0).Max() * 8 + 16);
        var dataPixels = Math.Max(480, columnPixels * columns.Count);
        return new ThoughtTypeHeatmap("Thought types: share of each line's thoughts",
            lines, columns.Select(c => c.Label).ToList(), shares, labelPixels + dataPixels + 70, 70 * lines.Count + 150);
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

    /// <summary>The fill of a share: white at 0, <see cref="FullColour"/> at 1, linear between; light grey for no thoughts.</summary>
    public static Color Shade(double? share)
    {
        if (share is not { } s) return Color.FromHex("#dddddd");
        var full = Color.FromHex(FullColour);
        byte Mix(byte channel) => (byte)Math.Round(255 + (channel - 255) * Math.Clamp(s, 0, 1));
        return new Color(Mix(full.R), Mix(full.G), Mix(full.B));
    }

    private Plot Draw()
    {
        var plot = new Plot();
        plot.Font.Set(ChartRenderer.FontName, FontWeight.Normal, FontSlant.Upright, FontSpacing.Normal);
        plot.Title(Title, 16);
        plot.XLabel("Thought type", 14);
        for (var i = 0; i < Lines.Count; i++)
        {
            var y = Lines.Count - 1 - i; // the first line at the top
            for (var j = 0; j < Columns.Count; j++)
            {
                var share = Shares[i][j];
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = Shade(share);
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
                var text = plot.Add.Text(share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "—", j, y);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = 13;
                text.LabelFontName = ChartRenderer.FontName;
                text.LabelFontColor = share is > 0.55 ? Colors.White : Colors.Black;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, Columns.Count).Select(j => (double)j).ToArray(), Columns.ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, Lines.Count).Select(i => (double)(Lines.Count - 1 - i)).ToArray(), Lines.ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.IsVisible = false;
        plot.Axes.SetLimits(-0.5, Math.Max(0.5, Columns.Count - 0.5), -0.5, Math.Max(0.5, Lines.Count - 0.5));
        return plot;
    }
}
