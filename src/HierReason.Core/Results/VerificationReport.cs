namespace HierReason.Core.Results;

/// <summary>
/// <c>verification.json</c>, written by <c>hierreason verify</c> next to the results it checked: whether the summary
/// holds up against the approved snapshot, and why not. <c>hierreason publish</c> reads it.
/// </summary>
/// <param name="Passed">No row dropped beyond the tolerance.</param>
/// <param name="Approved">The approved snapshot file compared against.</param>
/// <param name="Results">The results_all_tasks file that was checked.</param>
/// <param name="TolerancePoints">Allowed drop in percentage points.</param>
/// <param name="ToleranceStdErr">Allowed drop in multiples of the combined standard error.</param>
/// <param name="Findings">One per task × model present in either file.</param>
public sealed record VerificationReport(
    bool Passed,
    string Approved,
    string Results,
    double TolerancePoints,
    double ToleranceStdErr,
    IReadOnlyList<VerificationFinding> Findings);

/// <summary>What verification found for one task × model × strategy.</summary>
/// <param name="Kind">"ok", "improved", "dropped" (a failure), "new" (not in the snapshot) or "missing" (in the snapshot, not in the results).</param>
/// <param name="Approved">The snapshot's accuracy (fraction), when present.</param>
/// <param name="Actual">The results' accuracy (fraction), when present.</param>
public sealed record VerificationFinding(string Task, string Model, string Kind, double? Approved, double? Actual, string Message,
    string Strategy = Episodes.EpisodeStrategy.VanillaName);
