using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Aggregation;

/// <summary>
/// Writes a summary's files into the results folder: results_&lt;task&gt;_&lt;ts&gt;.json, results_all_tasks_&lt;ts&gt;.json,
/// comparison_&lt;task&gt;_&lt;ts&gt;.png, summary_all_tasks_&lt;ts&gt;.png and summary.md.
/// </summary>
public static class ResultsWriter
{
    /// <summary>Writes the files; returns their paths, the all-tasks file first.</summary>
    public static IReadOnlyList<string> Write(BenchmarkSummary summary, string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        var ts = summary.Run.Timestamp;
        var all = Path.Combine(outDirectory, $"results_all_tasks_{ts}.json");
        AtomicFile.WriteAllText(all, JsonSerializer.Serialize(summary, HierJson.Indented) + "\n");
        var paths = new List<string> { all };
        var perTask = ResultAggregator.TaskNames(summary).Select(task => ResultAggregator.ForTask(summary, task)).ToList();
        foreach (var task in perTask)
        {
            var path = Path.Combine(outDirectory, $"results_{task.Task}_{ts}.json");
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(task, HierJson.Indented) + "\n");
            paths.Add(path);
        }
        paths.AddRange(BenchmarkCharts.WriteAll(summary, perTask, outDirectory));
        var markdown = Path.Combine(outDirectory, "summary.md");
        AtomicFile.WriteAllText(markdown, MarkdownSummary.Render(summary));
        paths.Add(markdown);
        return paths;
    }
}
