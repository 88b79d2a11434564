using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScottPlot;

namespace HierReason.Training.Runs;

/// <summary>
/// A PNG of a run's training curves: one panel per <c>metrics.jsonl</c> series (GRPO: rollout reward, rollout accuracy,
/// KL, completion length; SFT: loss, learning rate), step on the x axis, the noisy ones drawn raw (thin, light) with a
/// centred moving mean over them; and, second, the held-out accuracy of each task from <c>eval.jsonl</c>. Series absent
/// from the files are left out.
/// </summary>
public static class TrainingCurves
{
    public const string FileName = "training_curves.png";

    /// <summary>The raw per-step line.</summary>
    public const string RawColour = "#a9bfdc";

    /// <summary>The centred moving mean drawn over it.</summary>
    public const string SmoothedColour = "#12407f";

    /// <summary>Held-out accuracy, one colour per task in <c>eval.jsonl</c> order.</summary>
    public static readonly IReadOnlyList<string> EvalPalette = ["#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

    /// <summary>Fewer points than this get no smoothed line: there is nothing to average.</summary>
    public const int MinSmoothedPoints = 5;

    public const int Width = 900;
    public const int PanelHeight = 260;

    public static readonly IReadOnlyList<CurveSeries> GrpoSeries =
    [
        new("rollout reward (mean over the step's completions)", "reward.mean"), new("rollout accuracy", "accuracy"), new("KL", "kl"),
        new("completion length (mean)", "completion_length_mean"),
    ];

    public static readonly IReadOnlyList<CurveSeries> SftSeries = [new("loss", "loss"), new("learning rate", "lr", Smooth: false)];

    /// <summary>Writes <see cref="FileName"/> into <paramref name="directory"/> from its <c>metrics.jsonl</c> and <c>eval.jsonl</c>; returns false when no panel has a point.</summary>
    public static bool Save(string directory, IReadOnlyList<CurveSeries> series, string title)
    {
        var panels = Panels(directory, series);
        if (panels.Count == 0) return false;
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        for (var i = 0; i < panels.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            foreach (var line in panels[i].Lines)
            {
                var scatter = plot.Add.Scatter(line.Xs.ToArray(), line.Ys.ToArray());
                scatter.Color = Color.FromHex(line.Colour);
                scatter.LineWidth = line.Width;
                scatter.MarkerSize = line.Markers ? 5 : 0;
                scatter.LegendText = line.Label;
            }
            if (panels[i].Lines.Count > 1) plot.ShowLegend(Alignment.UpperRight);
            plot.Title(i == 0 ? $"{title}: {panels[i].Title}" : panels[i].Title);
            plot.XLabel("step");
        }
        var png = Path.Combine(directory, FileName);
        var temp = png + ".tmp.png";
        multiplot.SavePng(temp, Width, PanelHeight * panels.Count);
        File.Move(temp, png, overwrite: true);
        return true;
    }

    /// <summary>
    /// The panels <see cref="Save"/> draws from <paramref name="directory"/>: each series of <c>metrics.jsonl</c> with points
    /// (raw, plus its <see cref="CentredMean"/> when <see cref="CurveSeries.Smooth"/> and there are enough points), the held-out
    /// accuracy panel from <c>eval.jsonl</c> second.
    /// </summary>
    public static IReadOnlyList<CurvePanel> Panels(string directory, IReadOnlyList<CurveSeries> series)
    {
        var metrics = Lines(Path.Combine(directory, Sft.SftRun.MetricsFileName));
        var panels = new List<CurvePanel>();
        foreach (var s in series)
        {
            var (xs, ys) = (new List<double>(), new List<double>());
            foreach (var (step, node) in metrics)
            {
                var value = s.Path.Split('.').Aggregate((JsonNode?)node, (n, key) => n?[key]);
                if (value is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d))
                {
                    xs.Add(step);
                    ys.Add(d);
                }
            }
            if (xs.Count == 0) continue;
            if (!s.Smooth || xs.Count < MinSmoothedPoints)
            {
                panels.Add(new CurvePanel(s.Title, [new CurveLine(s.Title, xs, ys, SmoothedColour, 1.5f, Markers: xs.Count <= 60)]));
                continue;
            }
            var window = SmoothingWindow(xs.Count);
            panels.Add(new CurvePanel(s.Title,
            [
                new CurveLine("per step", xs, ys, RawColour, 1f, Markers: xs.Count <= 60),
                new CurveLine(string.Create(CultureInfo.InvariantCulture, $"centred mean of {window} steps"), xs, CentredMean(ys, window), SmoothedColour, 2.5f, Markers: false),
            ]));
        }
        if (HeldOut(Path.Combine(directory, Sft.SftRun.EvalFileName)) is { } heldOut) panels.Insert(Math.Min(1, panels.Count), heldOut);
        return panels;
    }

    /// <summary>
    /// The mean of each point and its <paramref name="window"/> / 2 neighbours on either side (fewer at the ends, where the
    /// window is cut off rather than padded): a moving average that does not lag behind the series as an exponential one does.
    /// </summary>
    public static IReadOnlyList<double> CentredMean(IReadOnlyList<double> ys, int window)
    {
        if (window < 1 || window % 2 == 0) throw new ArgumentOutOfRangeException(nameof(window), window, "expected a positive odd window");
        var half = window / 2;
        var smoothed = new double[ys.Count];
        for (var i = 0; i < ys.Count; i++)
        {
            int from = Math.Max(0, i - half), to = Math.Min(ys.Count - 1, i + half);
            var sum = 0.0;
            for (var j = from; j <= to; j++) sum += ys[j];
            smoothed[i] = sum / (to - from + 1);
        }
        return smoothed;
    }

    /// <summary>The smoothing window for <paramref name="points"/> points: about a tenth of the run, odd, between 3 and 51 steps.</summary>
    public static int SmoothingWindow(int points) => Math.Clamp((points / 10) | 1, 3, 51);

    /// <summary>Held-out accuracy per task over the evaluation steps, or null when <paramref name="evalFile"/> has none.</summary>
    private static CurvePanel? HeldOut(string evalFile)
    {
        var tasks = new Dictionary<string, (List<double> Xs, List<double> Ys)>(StringComparer.Ordinal);
        int? n = null;
        foreach (var (step, node) in Lines(evalFile))
        {
            foreach (var (task, result) in node)
            {
                if (task == "step" || result?["accuracy"] is not JsonValue a || !a.TryGetValue<double>(out var accuracy) || !double.IsFinite(accuracy)) continue;
                if (!tasks.TryGetValue(task, out var line)) tasks[task] = line = ([], []);
                line.Xs.Add(step);
                line.Ys.Add(accuracy);
                n ??= result["n"] is JsonValue v && v.TryGetValue<int>(out var count) ? count : null;
            }
        }
        if (tasks.Count == 0) return null;
        var lines = tasks.Select((t, i) => new CurveLine(t.Key, t.Value.Xs, t.Value.Ys, EvalPalette[i % EvalPalette.Count], 2f, Markers: true)).ToList();
        return new CurvePanel(n is { } items ? $"held-out accuracy (eval.jsonl, greedy, n = {items} per task)" : "held-out accuracy (eval.jsonl, greedy)", lines);
    }

    /// <summary>The JSON object lines of <paramref name="path"/> that carry a step; unreadable lines are skipped.</summary>
    private static List<(int Step, JsonObject Node)> Lines(string path)
    {
        var found = new List<(int, JsonObject)>();
        if (!File.Exists(path)) return found;
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject node && node["step"] is JsonValue s && s.TryGetValue<int>(out var step)) found.Add((step, node));
            }
            catch (JsonException) { /* a line a killed run cut short */ }
        }
        return found;
    }
}
