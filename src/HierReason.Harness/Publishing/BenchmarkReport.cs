using System.Text.Json;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Harness.Publishing;

/// <summary>What a results folder says about a run: its Markdown summary, its numbers, and whether it was verified.</summary>
/// <param name="SummaryMarkdown">summary.md, or a table rendered from the results when it is missing.</param>
/// <param name="Results">The newest results_all_tasks_&lt;ts&gt;.json, when present.</param>
/// <param name="Verification">verification.json; null means the run was not verified.</param>
/// <param name="Warnings">What the caller should tell the user but that does not stop publishing (an older verification.json
/// that cannot prove it verified these bytes).</param>
public sealed record BenchmarkReport(string Directory, string SummaryMarkdown, BenchmarkSummary? Results, VerificationReport? Verification,
    IReadOnlyList<string>? Warnings = null)
{
    public const string SummaryFile = "summary.md";
    public const string VerificationFile = "verification.json";

    /// <summary>
    /// Reads the folder. A verification.json must be the verdict on the results file being published (the newest
    /// results_all_tasks file): same file name and, when it records one, the same SHA-256 of the bytes.
    /// </summary>
    /// <exception cref="HierReasonException">No folder or no results in it, an unreadable file, or a stale verification.json.</exception>
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
        var warnings = new List<string>();
        if (verification is not null) CheckCurrent(verificationPath, verification, resultsFile, directory, warnings);
        return new BenchmarkReport(directory, markdown, results, verification, warnings);
    }

    /// <summary>
    /// Refuses a verdict on other results: a benchmark rerun (a newer results_all_tasks file) or a rewritten file after
    /// verify would otherwise publish the old "passed" under the new numbers.
    /// </summary>
    private static void CheckCurrent(string verificationPath, VerificationReport verification, string? resultsFile, string directory, List<string> warnings)
    {
        var command = $"hierreason verify {directory} --approved {verification.Approved}";
        var rerun = $"run '{command}' again, then publish";
        var verified = verification.Results;
        if (resultsFile is null)
            throw new HierReasonException(
                $"{verificationPath}: a stale verdict: it verified {verified}, but {directory} holds no results_all_tasks_*.json to publish; {rerun}");
        if (!string.Equals(Path.GetFileName(verified), Path.GetFileName(resultsFile), StringComparison.Ordinal))
            throw new HierReasonException(
                $"{verificationPath}: a stale verdict: it verified {verified}, but the results being published are {resultsFile}; {rerun}");
        if (verification.ResultsSha256 is null)
        {
            warnings.Add($"{verificationPath} records no results_sha256 (written by an older hierreason), so it cannot show that {resultsFile} " +
                          $"is unchanged since it was verified; publishing it because the file names match (run '{command}' again to record it)");
            return;
        }
        var current = VerificationReport.Sha256Of(resultsFile);
        if (!string.Equals(current, verification.ResultsSha256, StringComparison.OrdinalIgnoreCase))
            throw new HierReasonException(
                $"{verificationPath}: a stale verdict: it verified {verified} (sha256 {verification.ResultsSha256}), but the results being published, " +
                $"{resultsFile}, now have sha256 {current} (rewritten since); {rerun}");
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
