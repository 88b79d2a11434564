using System.Text.Json;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Harness.Publishing;

/// <summary>What a results folder says about a run: its Markdown summary, its numbers, and whether it was verified.</summary>
/// <param name="SummaryMarkdown">summary.md, or a table rendered from the results when it is missing.</param>
/// <param name="Results">The newest results_all_tasks_&lt;ts&gt;.json, when present.</param>
/// <param name="Verification">verification.json; null means the run was not verified.</param>
public sealed record BenchmarkReport(string Directory, string SummaryMarkdown, BenchmarkSummary? Results, VerificationReport? Verification)
{
    public const string SummaryFile = "summary.md";
    public const string VerificationFile = "verification.json";

    public static BenchmarkReport Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new HierReasonException($"results folder {directory}: not found (run hierreason bench first)");
        var resultsFile = System.IO.Directory.EnumerateFiles(directory, "results_all_tasks_*.json")
            .OrderBy(Path.GetFileName, StringComparer.Ordinal).LastOrDefault();
        var results = resultsFile is null ? null : Read<BenchmarkSummary>(resultsFile);
        var summaryPath = Path.Combine(directory, SummaryFile);
        var markdown = File.Exists(summaryPath) ? File.ReadAllText(summaryPath)
            : results is not null ? RenderTable(results)
            : throw new HierReasonException($"results folder {directory}: neither {SummaryFile} nor results_all_tasks_*.json is there (run hierreason bench first)");
        var verificationPath = Path.Combine(directory, VerificationFile);
        var verification = File.Exists(verificationPath) ? Read<VerificationReport>(verificationPath) : null;
        return new BenchmarkReport(directory, markdown, results, verification);
    }

    private static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), HierJson.Options)
                ?? throw new HierReasonException($"{path}: expected a JSON object; found null");
        }
        catch (JsonException e)
        {
            throw new HierReasonException($"{path}: expected a {typeof(T).Name} JSON file; {e.Message}");
        }
    }

    /// <summary>The task × model accuracy table, for folders without summary.md.</summary>
    public static string RenderTable(BenchmarkSummary results)
    {
        var w = new StringWriter { NewLine = "\n" };
        w.WriteLine("| task | " + string.Join(" | ", results.Models) + " |");
        w.WriteLine("|---|" + string.Concat(results.Models.Select(_ => "---:|")));
        foreach (var task in results.Tasks)
        {
            var cells = results.Models.Select(m => results.Rows.FirstOrDefault(r => r.Cell == task && r.Model == m) is { } row
                ? Percent(row.Accuracy, row.StdErr) : "–");
            w.WriteLine($"| {task} | " + string.Join(" | ", cells) + " |");
        }
        var averages = results.Models.Select(m => results.Averages.FirstOrDefault(a => a.Model == m) is { } a
            ? $"**{Percent(a.Accuracy, a.StdErr)}**" : "–");
        w.WriteLine("| **average** | " + string.Join(" | ", averages) + " |");
        return w.ToString();
    }

    private static string Percent(double accuracy, double stdErr) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{accuracy * 100:F1} ± {stdErr * 100:F1}");
}
