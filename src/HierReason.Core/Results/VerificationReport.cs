using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// <c>verification.json</c>, written by <c>hierreason verify</c> next to the results it checked: whether the summary
/// holds up against the approved snapshot, and why not. <c>hierreason publish</c> reads it.
/// </summary>
/// <param name="Passed">No row dropped beyond the tolerance, went missing or ran a different configuration.</param>
/// <param name="Approved">The approved snapshot file compared against.</param>
/// <param name="Results">The results_all_tasks file that was checked.</param>
/// <param name="TolerancePoints">Allowed drop in percentage points.</param>
/// <param name="ToleranceStdErr">Allowed drop in multiples of the combined standard error.</param>
/// <param name="Findings">One per task × model present in either file.</param>
/// <param name="ResultsSha256">Lower-case hex SHA-256 of <paramref name="Results"/>'s bytes when it was verified (<see cref="Sha256Of"/>):
/// publish refuses the verdict once the file it would publish has other bytes. Absent in reports written before it existed.</param>
public sealed record VerificationReport(
    bool Passed,
    string Approved,
    string Results,
    double TolerancePoints,
    double ToleranceStdErr,
    IReadOnlyList<VerificationFinding> Findings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName("results_sha256")] string? ResultsSha256 = null)
{
    /// <summary>The digest <see cref="ResultsSha256"/> holds: SHA-256 of the file's bytes, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>What verification found for one task × model × strategy.</summary>
/// <param name="Kind">"ok", "improved", "dropped" (a failure), "new" (not in the snapshot), "missing" (in the snapshot, not in the
/// results) or "config-mismatch" (a failure: the row ran another level, split, n, question set or checkpoint than its approved row,
/// so its accuracy was not compared).</param>
/// <param name="Approved">The snapshot's accuracy (fraction), when present.</param>
/// <param name="Actual">The results' accuracy (fraction), when present.</param>
public sealed record VerificationFinding(string Task, string Model, string Kind, double? Approved, double? Actual, string Message,
    string Strategy = Episodes.EpisodeStrategy.VanillaName);
