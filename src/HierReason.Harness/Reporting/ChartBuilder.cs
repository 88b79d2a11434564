using System.Globalization;
using HierReason.Core;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>Lays out the two benchmark charts (per-task comparison, all-tasks summary) from results records.</summary>
public static class ChartBuilder
{
    public const string AccuracyAxis = "Accuracy (%)";
    public const string AverageGroup = "Average";
    public const string ConstantAnswerLabel = "constant answer";
    /// <summary>What a task bar's whiskers are.</summary>
    public const string TaskWhiskers = "whiskers: " + ProportionInterval.Kind;
    /// <summary>The summary chart's note: its Average bars keep ± standard error (a mean of task accuracies has no Wilson interval).</summary>
    public const string SummaryWhiskers = TaskWhiskers + " (Average: ± standard error)";
    public const int DefaultWidth = 1000;
    public const int DefaultHeight = 600;
    public const int MaxSide = 8000;

    // Rough pixel width of one tick-label character at the renderer's tick font size; only decides slanting.
    private const double CharPixels = 8.5;
    // Pixels outside the data area (y axis, margins, legend) when guessing how wide each slot is.
    private const double Chrome = 170;

    /// <summary>
    /// One bar per model (in file order) with its 95 % Wilson interval as whiskers and the task's constant-answer accuracy as a marker, for
    /// <c>comparison_&lt;task&gt;_&lt;ts&gt;.png</c>.
    /// </summary>
    public static ChartLayout Comparison(TaskResults results, ChartOptions? options = null)
    {
        options ??= ChartOptions.Default;
        var rows = results.Rows;
        var width = Size(options.Width, Math.Max(DefaultWidth, 200 + 120 * rows.Count), "--width");
        var bars = rows.Select((r, i) => Bar(i, 0.7, r, i)).ToList();
        // A task benchmarked at several levels has a bar per level and model: the tick names the level.
        var levels = rows.Select(r => r.Level).Distinct().Count() > 1;
        var ticks = rows.Select((r, i) => new ChartTick(i, Label(options, r.Model, r.Strategy) + (levels && r.Level is { } l ? $" (level {l})" : ""))).ToList();
        var rotate = NeedsSlant(ticks, width, rows.Count);
        var title = options.Title ?? $"{results.Task}: accuracy by model ({SampleText(rows)})";
        return new ChartLayout(title, "Model", AccuracyAxis, bars, ticks, [], [], rotate, width,
            Size(options.Height, DefaultHeight + SlantRoom(ticks, rotate), "--height"), MarkerLabelOf(bars), TaskWhiskers);
    }

    /// <summary>
    /// Grouped bars: one group per task plus an "Average" group, one bar (colour) per model, each task bar marked at its
    /// constant-answer accuracy, for <c>summary_all_tasks_&lt;ts&gt;.png</c>. A task × model without a row has no bar.
    /// </summary>
    public static ChartLayout Summary(BenchmarkSummary summary, ChartOptions? options = null)
    {
        options ??= ChartOptions.Default;
        var models = summary.Models;
        var groups = summary.Tasks.Count + 1;
        var m = Math.Max(1, models.Count);
        var width = Size(options.Width, Math.Clamp(240 + groups * Math.Max(130, 58 * m), DefaultWidth, MaxSide), "--width");
        var slot = 0.8 / m;
        double Offset(int model) => (model - (m - 1) / 2.0) * slot;

        var cells = summary.Rows.ToDictionary(r => (r.Cell, r.Model));
        var bars = new List<ChartBar>();
        for (var t = 0; t < summary.Tasks.Count; t++)
            for (var k = 0; k < models.Count; k++)
                if (cells.TryGetValue((summary.Tasks[t], models[k]), out var row))
                    bars.Add(Bar(t + Offset(k), slot * 0.9, row, k));

        var averages = summary.Averages.ToDictionary(a => a.Model);
        var avgAt = summary.Tasks.Count;
        for (var k = 0; k < models.Count; k++)
            if (averages.TryGetValue(models[k], out var avg))
                bars.Add(new ChartBar(avgAt + Offset(k), slot * 0.9, avg.Accuracy * 100,
                    Math.Min(avg.StdErr, avg.Accuracy) * 100, avg.StdErr * 100, Percent(avg.Accuracy), k));

        var ticks = summary.Tasks.Select((task, i) => new ChartTick(i, task)).Append(new ChartTick(avgAt, AverageGroup)).ToList();
        var rotate = NeedsSlant(ticks, width, groups);
        var title = options.Title ?? $"Accuracy by task and model ({summary.Tasks.Count} task{(summary.Tasks.Count == 1 ? "" : "s")}, {SampleText(summary.Rows)})";
        var strategies = summary.Rows.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.First().Strategy);
        var legend = models.Select(model => Label(options, model, strategies.GetValueOrDefault(model, Core.Episodes.EpisodeStrategy.VanillaName))).ToList();
        double[] separators = summary.Tasks.Count > 0 ? [avgAt - 0.5] : [];
        return new ChartLayout(title, "Task", AccuracyAxis, bars, ticks, legend, separators, rotate, width,
            Size(options.Height, DefaultHeight + SlantRoom(ticks, rotate), "--height"), MarkerLabelOf(bars), SummaryWhiskers);
    }

    /// <summary>A model's display name, with its strategy when it is not vanilla: "tiny-calc (calculator)".</summary>
    public static string Label(ChartOptions options, string model, string strategy) =>
        strategy == Core.Episodes.EpisodeStrategy.VanillaName ? options.Names.Apply(model) : $"{options.Names.Apply(model)} ({strategy})";

    /// <summary>"42.5%": the text on a bar.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    // A task's bars reach over the cell's 95 % interval (computed for rows from files written before they carried it) and
    // carry its constant-answer accuracy (older results have none); the Average group has no marker.
    private static ChartBar Bar(double position, double width, ScoreRow row, int colour)
    {
        if (row.Interval() is not var (low, high)) return new ChartBar(position, width, 0, 0, 0, "no data", colour);
        return new ChartBar(position, width, row.Accuracy * 100, Math.Max(0, row.Accuracy - low) * 100, Math.Max(0, high - row.Accuracy) * 100,
            Percent(row.Accuracy), colour, row.ConstantAnswerAccuracy * 100);
    }

    private static string? MarkerLabelOf(IReadOnlyList<ChartBar> bars) => bars.Any(b => b.Marker is not null) ? ConstantAnswerLabel : null;

    // "n = 200", "n = 100–200", and "(41 distinct)" / "(41–80 distinct)" after it when some row repeats questions, since
    // then n overstates what the bars rest on.
    private static string SampleText(IReadOnlyList<ScoreRow> rows)
    {
        if (rows.Count == 0) return "no rows";
        var text = "n = " + Range(rows.Min(r => (long)r.N), rows.Max(r => (long)r.N));
        var scored = rows.Where(r => r.N > 0).ToList();
        if (!scored.Any(r => r.RepeatsQuestions)) return text;
        var distinct = scored.Select(r => Math.Min(r.N, r.Questions ?? r.N)).ToList();
        return $"{text} ({Range(distinct.Min(), distinct.Max())} distinct)";
    }

    private static string Range(long min, long max) => min == max
        ? min.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{min}–{max}");

    private static bool NeedsSlant(IReadOnlyList<ChartTick> ticks, int width, int slots)
    {
        if (ticks.Count == 0) return false;
        var slotPixels = (width - Chrome) / Math.Max(1, slots);
        return ticks.Max(t => t.Label.Length) * CharPixels > slotPixels * 0.95;
    }

    // Slanted labels take height from the plot; give it back so the bars keep their size.
    private static int SlantRoom(IReadOnlyList<ChartTick> ticks, bool rotate)
        => rotate ? (int)Math.Min(300, ticks.Max(t => t.Label.Length) * CharPixels * 0.6) : 0;

    private static int Size(int? requested, int fallback, string option)
    {
        if (requested is null) return fallback;
        if (requested < 100 || requested > MaxSide)
            throw new HierReasonException($"{option}: expected a size in pixels in [100, {MaxSide}]; found {requested}");
        return requested.Value;
    }
}
