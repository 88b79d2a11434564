using System.Text.Json;
using System.Text.Json.Nodes;
using ScottPlot;

namespace HierReason.Training.Runs;

/// <summary>
/// A PNG of a run's training curves from its <c>metrics.jsonl</c>: one panel per series (GRPO: reward, accuracy, KL,
/// completion length; SFT: loss, learning rate), step on the x axis. Series absent from the file are left out.
/// </summary>
public static class TrainingCurves
{
    public const string FileName = "training_curves.png";

    public static readonly IReadOnlyList<(string Title, string Path)> GrpoSeries =
        [("reward (mean)", "reward.mean"), ("accuracy", "accuracy"), ("KL", "kl"), ("completion length (mean)", "completion_length_mean")];

    public static readonly IReadOnlyList<(string Title, string Path)> SftSeries = [("loss", "loss"), ("learning rate", "lr")];

    /// <summary>Writes <paramref name="png"/> from <paramref name="metricsFile"/>; returns false when no series has a point.</summary>
    public static bool Save(string metricsFile, string png, IReadOnlyList<(string Title, string Path)> series, string title)
    {
        var lines = File.Exists(metricsFile) ? File.ReadAllLines(metricsFile) : [];
        var panels = new List<(string Title, double[] Xs, double[] Ys)>();
        foreach (var (name, path) in series)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var line in lines)
            {
                JsonNode? node;
                try { node = JsonNode.Parse(line); }
                catch (JsonException) { continue; }
                if (node?["step"]?.GetValue<int>() is not int step) continue;
                var value = path.Split(".").Aggregate((JsonNode?)node, (n, key) => n?[key]);
                if (value is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d))
                {
                    xs.Add(step);
                    ys.Add(d);
                }
            }
            if (xs.Count > 0) panels.Add((name, xs.ToArray(), ys.ToArray()));
        }
        if (panels.Count == 0) return false;

        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        for (var i = 0; i < panels.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            var (name, xs, ys) = panels[i];
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.MarkerSize = xs.Length > 60 ? 0 : 3;
            plot.Title(i == 0 ? $"{title}: {name}" : name);
            plot.XLabel("step");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(png))!);
        var temp = png + ".tmp.png";
        multiplot.SavePng(temp, 900, 260 * panels.Count);
        File.Move(temp, png, overwrite: true);
        return true;
    }
}
