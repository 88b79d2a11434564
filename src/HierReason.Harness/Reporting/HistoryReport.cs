using System.Text.Json;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;

namespace HierReason.Harness.Reporting;

/// <summary>
/// The history of a folder of benchmark runs: finds every <c>results_all_tasks_&lt;ts&gt;.json</c> under it, builds the
/// <see cref="AccuracyHistory"/>, and writes <c>history.json</c>, <c>history.md</c>, <c>history.svg</c> and <c>history.png</c>.
/// </summary>
public static class HistoryReport
{
    public const string JsonFileName = "history.json";
    public const string MarkdownFileName = "history.md";
    public const string SvgFileName = "history.svg";
    public const string PngFileName = "history.png";

    /// <summary>Where the files go unless told otherwise: <c>&lt;folder&gt;/history</c>.</summary>
    public static string DefaultOutput(string folder) => Path.Combine(folder, "history");

    /// <summary>Every results_all_tasks file under <paramref name="folder"/> (recursively), in ordinal path order.</summary>
    /// <exception cref="HierReasonException">The folder does not exist or holds no results_all_tasks file.</exception>
    public static IReadOnlyList<string> Find(string folder)
    {
        if (!Directory.Exists(folder))
            throw new HierReasonException($"{folder}: no such folder (give the folder that holds the runs' results_all_tasks_<ts>.json files)");
        var files = Directory.GetFiles(folder, "results_all_tasks_*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Count > 0
            ? files
            : throw new HierReasonException($"{folder}: no results_all_tasks_<ts>.json under this folder (run 'hierreason bench' or 'hierreason collect' first)");
    }

    /// <summary>Reads every results file under <paramref name="folder"/>; points name the files relative to it.</summary>
    /// <exception cref="ConfigException">A file is not a valid all-tasks summary (the message names it and the JSON path).</exception>
    public static AccuracyHistory Load(string folder) =>
        AccuracyHistory.Build(Find(folder).Select(f => (Path.GetRelativePath(folder, f).Replace('\\', '/'), ResultsFile.LoadSummary(f))));

    /// <summary>Writes the four files into <paramref name="outDir"/> (created when missing), each atomically; returns their paths.</summary>
    public static IReadOnlyList<string> Write(AccuracyHistory history, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var chart = HistoryChart.Of(history);
        var json = Path.Combine(outDir, JsonFileName);
        var markdown = Path.Combine(outDir, MarkdownFileName);
        var svg = Path.Combine(outDir, SvgFileName);
        var png = Path.Combine(outDir, PngFileName);
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(history, HierJson.Indented) + "\n");
        AtomicFile.WriteAllText(markdown, HistoryTable.Render(history));
        AtomicFile.WriteAllText(svg, chart.RenderSvg());
        AtomicFile.WriteAllBytes(png, chart.RenderPng());
        return [json, markdown, svg, png];
    }
}
