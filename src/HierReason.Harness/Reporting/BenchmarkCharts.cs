using HierReason.Core.IO;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>Writes the benchmark's PNG charts into a results folder; what <c>bench</c> and <c>collect</c> call at their end.</summary>
public static class BenchmarkCharts
{
    /// <summary><c>comparison_&lt;task&gt;_&lt;ts&gt;.png</c>.</summary>
    public static string ComparisonFileName(TaskResults results) => $"comparison_{results.Task}_{results.Run.Timestamp}.png";

    /// <summary><c>summary_all_tasks_&lt;ts&gt;.png</c>.</summary>
    public static string SummaryFileName(BenchmarkSummary summary) => $"summary_all_tasks_{summary.Run.Timestamp}.png";

    /// <summary>
    /// Writes one comparison chart per task and the all-tasks summary chart into <paramref name="outDir"/> (created when
    /// missing), each atomically. Returns the paths written: the per-task charts in order, then the summary.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(BenchmarkSummary summary, IReadOnlyList<TaskResults> perTask, string outDir, ChartOptions? options = null)
    {
        // A title names one chart; the per-task charts keep their own.
        var perTaskOptions = options is null ? null : options with { Title = null, Width = null, Height = null };
        var written = new List<string>();
        foreach (var task in perTask)
            written.Add(Write(ChartBuilder.Comparison(task, perTaskOptions), Path.Combine(outDir, ComparisonFileName(task))));
        written.Add(Write(ChartBuilder.Summary(summary, options), Path.Combine(outDir, SummaryFileName(summary))));
        return written;
    }

    /// <summary>
    /// Renders a layout and writes it atomically (temp file beside the target, then rename) as the extension says: .png
    /// or .svg (any case); returns the path. Another extension is refused before anything is written.
    /// </summary>
    public static string Write(ChartLayout layout, string path)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".png": AtomicFile.WriteAllBytes(path, ChartRenderer.RenderPng(layout)); break;
            case ".svg": AtomicFile.WriteAllText(path, ChartRenderer.RenderSvg(layout)); break;
            default: throw new Core.HierReasonException($"{path}: a chart is written as .png or .svg; this name has '{Path.GetExtension(path)}'");
        }
        return path;
    }
}
