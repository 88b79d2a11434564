using System.Globalization;
using System.Text;
using HierReason.Core.Results;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Publishing;

/// <summary>How a run concludes on GitHub: success (verified), failure (verification failed, a different configuration included) or neutral (not verified).</summary>
public enum PublishConclusion { Success, Failure, Neutral }

/// <summary>The texts published for one run: the check run's title and summary and the pull-request comment, each within GitHub's limits.</summary>
public sealed record PublishContent(PublishConclusion Conclusion, string Title, string CheckSummary, string CommentBody)
{
    public const string CheckRunName = "HierReason benchmark";

    /// <summary>Hidden in every comment we write, so a rerun finds and updates its own comment instead of adding one.</summary>
    public const string CommentMarker = "<!-- hierreason-benchmark -->";

    /// <summary>GitHub's limit for a check run's output summary (characters).</summary>
    public const int MaxCheckSummary = 65_535;

    /// <summary>GitHub's limit for an issue or pull-request comment body (characters).</summary>
    public const int MaxCommentBody = 65_536;

    public static PublishContent From(BenchmarkReport report, string? runUrl = null)
    {
        var v = report.Verification;
        var conclusion = v is null ? PublishConclusion.Neutral : v.Passed ? PublishConclusion.Success : PublishConclusion.Failure;
        var title = TitleFor(report, conclusion);
        var body = new StringBuilder();
        body.Append(report.SummaryMarkdown.TrimEnd()).Append("\n\n").Append(VerificationSection(report));
        if (runUrl is not null) body.Append("\n\n[Workflow run and artifacts](").Append(runUrl).Append(')');
        var text = body.ToString();
        var comment = $"{CommentMarker}\n## {CheckRunName}: {title}\n\n{text}";
        return new PublishContent(conclusion, title, Truncate(text, MaxCheckSummary), Truncate(comment, MaxCommentBody));
    }

    /// <summary>Cuts text to at most <paramref name="limit"/> characters, ending with a note that says so.</summary>
    public static string Truncate(string text, int limit)
    {
        if (text.Length <= limit) return text;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"\n\n---\n*Truncated: GitHub allows {limit:N0} characters here; the full summary ({text.Length:N0} characters) is summary.md in the results folder.*");
        var cut = limit - note.Length;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut] + note;
    }

    private static string TitleFor(BenchmarkReport report, PublishConclusion conclusion)
    {
        var cells = report.Results is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r.Tasks.Count} tasks × {r.Models.Count} models") : "results";
        return conclusion switch
        {
            PublishConclusion.Success => $"{cells}: verified against the approved snapshot",
            PublishConclusion.Failure => $"{cells}: verification failed ({FailureCounts(report.Verification!)})",
            _ => $"{cells}: not verified",
        };
    }

    // "2 dropped" as before; rows of another configuration are named as such, never counted as drops.
    private static string FailureCounts(VerificationReport v)
    {
        var dropped = v.Findings.Count(f => f.Kind == SnapshotVerifier.Dropped);
        var mismatched = v.Findings.Count(f => f.Kind == SnapshotVerifier.ConfigMismatch);
        return mismatched == 0 ? $"{dropped} dropped" : $"{dropped} dropped, {mismatched} with a different configuration";
    }

    private static string VerificationSection(BenchmarkReport report)
    {
        var v = report.Verification;
        if (v is null) return "**Verification:** not run (no verification.json in the results folder).";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"**Verification:** {(v.Passed ? "passed" : "FAILED")} against `{Path.GetFileName(v.Approved)}` (tolerance {v.TolerancePoints} points or {v.ToleranceStdErr}× the combined standard error).");
        var notable = v.Findings.Where(f => f.Kind != SnapshotVerifier.Ok).ToList();
        if (notable.Count == 0) return sb.ToString();
        var mismatched = notable.Count(f => f.Kind == SnapshotVerifier.ConfigMismatch);
        if (mismatched > 0)
            sb.Append(CultureInfo.InvariantCulture, $"\n\n**{mismatched} row{(mismatched == 1 ? "" : "s")} ran a different configuration**")
                .Append(" (level, split, n, task config or checkpoint) than the approved snapshot: nothing was verified for them; their accuracies are shown, not compared.");
        sb.Append("\n\n| task | model | finding | approved | actual | |\n|---|---|---|---:|---:|---|\n");
        foreach (var f in notable.OrderBy(f => f.Kind switch { SnapshotVerifier.Dropped => 0, SnapshotVerifier.ConfigMismatch => 1, _ => 2 }))
            sb.Append(CultureInfo.InvariantCulture,
                $"| {f.Task} | {f.Model} | {Finding(f.Kind)} | {Pct(f.Approved)} | {Pct(f.Actual)} | {f.Message.Replace('|', '/').Replace('\n', ' ')} |\n");
        return sb.ToString().TrimEnd();
    }

    private static string Finding(string kind) => kind == SnapshotVerifier.ConfigMismatch ? "config-mismatch (different configuration)" : kind;

    private static string Pct(double? fraction) =>
        fraction is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x * 100:F1}%") : "–";
}
