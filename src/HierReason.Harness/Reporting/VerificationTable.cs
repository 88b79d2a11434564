using System.Globalization;
using System.Text;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>
/// The verification diff as a plain-text table (task, model, approved, actual, Δ, verdict) and a closing verdict line; a row of a
/// different configuration shows both accuracies but no Δ, and its verdict says configuration, not drop.
/// </summary>
public static class VerificationTable
{
    public static string Format(VerificationReport report)
    {
        string[] header = ["Task", "Model", "Approved", "Actual", "Δ (points)", "Verdict"];
        var rows = report.Findings.Select(f => new[]
        {
            f.Task, Model(f), Percent(f.Approved), Percent(f.Actual), Delta(f), Verdict(f.Kind),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        // Numbers align right, names and verdicts left.
        bool[] right = [false, false, true, true, true, false];

        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) => text.AppendLine(string.Join("  ",
            cells.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var r in rows) Line(r);
        text.AppendLine();
        foreach (var f in report.Findings.Where(f => f.Kind != SnapshotVerifier.Ok))
            text.AppendLine($"{f.Task} × {Model(f)}: {f.Message}");
        if (report.Findings.Count(f => f.Kind == SnapshotVerifier.ConfigMismatch) is > 0 and var mismatches)
            text.AppendLine($"{mismatches} row{(mismatches == 1 ? "" : "s")} ran a different configuration than the approved snapshot: " +
                            "nothing was verified for them (their accuracies are shown, not compared)");
        text.AppendLine(Summary(report));
        return text.ToString();
    }

    /// <summary>"PASSED: …" or "FAILED: …" with counts per kind and the rule applied.</summary>
    public static string Summary(VerificationReport report)
    {
        int Count(string kind) => report.Findings.Count(f => f.Kind == kind);
        var rule = string.Create(CultureInfo.InvariantCulture,
            $"a drop fails when > {report.TolerancePoints:0.##} points AND > {report.ToleranceStdErr:0.##} × √(se_a² + se_b²)");
        return $"{(report.Passed ? "PASSED" : "FAILED")}: {Count(SnapshotVerifier.Ok)} ok, {Count(SnapshotVerifier.Improved)} improved, " +
               $"{Count(SnapshotVerifier.Dropped)} dropped, {Count(SnapshotVerifier.Missing)} missing, {Count(SnapshotVerifier.New)} new" +
               // Only when there are any, so the usual line reads as before.
               (Count(SnapshotVerifier.ConfigMismatch) is > 0 and var m ? $", {m} with a different configuration" : "") + $" ({rule})";
    }

    // The strategy shows only when it is not vanilla, so the default table reads as before.
    private static string Model(VerificationFinding f) =>
        f.Strategy == Core.Episodes.EpisodeStrategy.VanillaName ? f.Model : $"{f.Model} ({f.Strategy})";

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    // A different configuration has no change to show: the two accuracies are of different items.
    private static string Delta(VerificationFinding f)
        => f.Kind != SnapshotVerifier.ConfigMismatch && f.Approved is { } a && f.Actual is { } b ? ((b - a) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) : "—";

    private static string Verdict(string kind) => kind switch
    {
        SnapshotVerifier.Dropped => "FAIL (dropped)",
        SnapshotVerifier.Missing => "FAIL (missing)",
        SnapshotVerifier.ConfigMismatch => "FAIL (different configuration)",
        SnapshotVerifier.New => "warning (new)",
        _ => kind,
    };
}
