using System.Globalization;
using System.Text;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary><c>history.md</c>: one line per row, one column per run ("12.5 % [7.4, 19.1]"), a last-vs-previous Δ, and the runs.</summary>
public static class HistoryTable
{
    /// <summary>What a Δ carries when the last two intervals do not overlap.</summary>
    public const string SeparatedMarker = "⚠";

    public static string Render(AccuracyHistory history)
    {
        var text = new StringBuilder();
        text.AppendLine("# Accuracy across runs").AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{history.Runs.Count} runs, oldest first; each cell is the accuracy with its {ProportionInterval.Kind} in brackets (%). " +
            $"Δ is a row's latest point against the one before it, in points, marked {SeparatedMarker} when their intervals do not overlap."));
        text.AppendLine();

        var header = new[] { "Task", "Model", "Strategy" }.Concat(history.Runs.Select(r => r.Label)).Append("Δ").ToList();
        Line(text, header);
        Line(text, header.Select((_, i) => i < 3 ? "---" : "---:").ToList());
        foreach (var row in history.Rows)
        {
            var byRun = row.Points.ToDictionary(p => p.Run);
            Line(text, new[] { row.Cell, row.Model, row.Strategy }
                .Concat(history.Runs.Select(r => byRun.TryGetValue(r.Index, out var p) ? Cell(p) : "—"))
                .Append(Delta(row))
                .ToList());
        }

        text.AppendLine().AppendLine("## Runs").AppendLine();
        Line(text, ["#", "Run", "Commit", "Timestamp", "Started", "File"]);
        Line(text, ["---:", "---", "---", "---", "---", "---"]);
        foreach (var r in history.Runs)
            Line(text, [(r.Index + 1).ToString(CultureInfo.InvariantCulture), r.Label, r.Commit ?? "—", r.Timestamp,
                r.StartedAt.ToString("u", CultureInfo.InvariantCulture), r.File]);
        return text.ToString();
    }

    /// <summary>"12.5 % [7.4, 19.1]": accuracy and interval in percent.</summary>
    public static string Cell(HistoryPoint p) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Accuracy * 100:0.0} % [{p.CiLow * 100:0.0}, {p.CiHigh * 100:0.0}]");

    /// <summary>"+3.2", "-7.5 ⚠" (intervals apart), or "—" for a row with fewer than two points.</summary>
    public static string Delta(HistoryRow row)
    {
        if (row.LastTwo is not (var previous, var latest)) return "—";
        var delta = ((latest.Accuracy - previous.Accuracy) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
        return row.Separated ? $"{delta} {SeparatedMarker}" : delta;
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells) =>
        text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
}
