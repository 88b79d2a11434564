using System.Globalization;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>
/// Compares a benchmark summary with the approved snapshot, row by row (task × level × model × strategy), but only rows of
/// the same configuration: a row whose level, split, sample count, task-config hash or checkpoint hash differs from its
/// approved row scored other items (or another model), so its accuracy is reported beside the approved one, never as a drop.
/// </summary>
public static class SnapshotVerifier
{
    public const string Ok = "ok";
    public const string Improved = "improved";
    public const string Dropped = "dropped";
    public const string New = "new";
    public const string Missing = "missing";
    public const string ConfigMismatch = "config-mismatch";

    /// <summary>
    /// One finding per row in either file: snapshot rows in their order, then rows only in the results. A results row pairs
    /// with the approved row of the same task column, model and strategy; rows left over pair with a leftover approved row of
    /// the same task, model and strategy at another level. Fails on a drop beyond <paramref name="tolerance"/>
    /// (see <see cref="VerificationTolerance"/>), a missing row, or a pair of different configurations (nothing was verified
    /// for it); a new row is only reported.
    /// </summary>
    /// <param name="resultsSha256">The results file's SHA-256 when it was read (<see cref="VerificationReport.Sha256Of"/>),
    /// so publish can tell whether the verdict still belongs to the file.</param>
    public static VerificationReport Verify(BenchmarkSummary results, ApprovedSnapshot approved, VerificationTolerance tolerance,
        string resultsPath, string approvedPath, string? resultsSha256 = null)
    {
        tolerance = tolerance.Validated();
        var pairs = Pair(results.Rows, approved.Rows);
        var paired = new HashSet<ScoreRow>(pairs.Values, ReferenceEqualityComparer.Instance);
        var findings = new List<VerificationFinding>();

        foreach (var a in approved.Rows)
        {
            if (!pairs.TryGetValue(a, out var r))
            {
                findings.Add(new VerificationFinding(a.Cell, a.Model, Missing, a.Accuracy, null,
                    "in the approved snapshot but not in the results (task, model or strategy removed, or its jobs never ran)", a.Strategy));
                continue;
            }
            var differences = ConfigDifferences(a, r);
            findings.Add(differences.Count > 0 ? Mismatch(a, r, differences) : Compare(a, r, tolerance));
        }
        foreach (var r in results.Rows.Where(r => !paired.Contains(r)))
            findings.Add(new VerificationFinding(r.Cell, r.Model, New, null, r.Accuracy,
                "not in the approved snapshot (run with --accept to approve it)", r.Strategy));

        var passed = findings.All(f => f.Kind is not (Dropped or Missing or ConfigMismatch));
        return new VerificationReport(passed, approvedPath, resultsPath, tolerance.Points, tolerance.StdErrs, findings, resultsSha256);
    }

    /// <summary>
    /// Approved row → its results row: first the same (task column, model, strategy); then, among the rows left on both sides,
    /// the same (task, model, strategy) at another level, in file order, so a run at level 1 meets the snapshot's level 0 as
    /// a different configuration rather than as one new and one missing row.
    /// </summary>
    private static Dictionary<ApprovedRow, ScoreRow> Pair(IReadOnlyList<ScoreRow> results, IReadOnlyList<ApprovedRow> approved)
    {
        var byCell = results.ToDictionary(r => (r.Cell, r.Model, r.Strategy));
        var pairs = new Dictionary<ApprovedRow, ScoreRow>(ReferenceEqualityComparer.Instance);
        foreach (var a in approved)
            if (byCell.TryGetValue((a.Cell, a.Model, a.Strategy), out var r))
                pairs[a] = r;
        var taken = new HashSet<ScoreRow>(pairs.Values, ReferenceEqualityComparer.Instance);
        var left = results.Where(r => !taken.Contains(r)).ToList();
        foreach (var a in approved.Where(a => !pairs.ContainsKey(a)))
        {
            var r = left.FirstOrDefault(r => r.Task == a.Task && r.Model == a.Model && r.Strategy == a.Strategy);
            if (r is null) continue;
            pairs[a] = r;
            left.Remove(r);
        }
        return pairs;
    }

    /// <summary>
    /// "level 1 vs approved 0", "n 24 vs approved 200", … for every field that makes the two rows score different items or a
    /// different checkpoint. Split and the hashes count only when both rows carry them (older files lack them).
    /// </summary>
    private static List<string> ConfigDifferences(ApprovedRow a, ScoreRow r)
    {
        var differences = new List<string>();
        if (r.Level != a.Level) differences.Add($"level {Level(r.Level)} vs approved {Level(a.Level)}");
        if (r.Split is not null && a.Split is not null && r.Split != a.Split) differences.Add($"split {r.Split} vs approved {a.Split}");
        if (r.N != a.N) differences.Add(string.Create(CultureInfo.InvariantCulture, $"n {r.N} vs approved {a.N}"));
        if (r.ConfigHash is not null && a.ConfigHash is not null && r.ConfigHash != a.ConfigHash)
            differences.Add($"config_hash {r.ConfigHash} vs approved {a.ConfigHash}");
        if (r.CheckpointHash is not null && a.CheckpointHash is not null && r.CheckpointHash != a.CheckpointHash)
            differences.Add($"checkpoint_hash {r.CheckpointHash} vs approved {a.CheckpointHash}");
        return differences;
    }

    private static VerificationFinding Mismatch(ApprovedRow a, ScoreRow r, IReadOnlyList<string> differences)
    {
        var message = $"different configuration: {string.Join("; ", differences)}; accuracy {Percent(r.Accuracy)} vs approved {Percent(a.Accuracy)} " +
                      "not compared (nothing verified: rerun with the approved configuration, or --accept to approve this one)";
        if (r.FailedJobs > 0)
            message += $"; {r.FailedJobs} of {r.Jobs} job{(r.Jobs == 1 ? "" : "s")} failed";
        return new VerificationFinding(r.Cell, r.Model, ConfigMismatch, a.Accuracy, r.Accuracy, message, r.Strategy);
    }

    private static string Level(int? level) => level?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static VerificationFinding Compare(ApprovedRow a, ScoreRow r, VerificationTolerance tolerance)
    {
        var delta = (r.Accuracy - a.Accuracy) * 100;
        var noise = tolerance.NoisePoints(a.StdErr, r.StdErr);
        var beyond = Math.Abs(delta) > tolerance.Points && Math.Abs(delta) > noise;
        var kind = !beyond ? Ok : delta < 0 ? Dropped : Improved;
        var limits = $"tolerance {F(tolerance.Points)} points; noise {F(tolerance.StdErrs)} × combined stderr = {F(noise)} points";
        var change = delta < 0 ? $"dropped {F(-delta)} points" : delta > 0 ? $"rose {F(delta)} points" : "unchanged";
        var message = kind switch
        {
            Dropped => $"{change}, beyond both limits ({limits})",
            Improved => $"{change}, beyond both limits ({limits}); consider --accept",
            _ => $"{change}, within limits ({limits})",
        };
        if (r.FailedJobs > 0)
            message += $"; {r.FailedJobs} of {r.Jobs} job{(r.Jobs == 1 ? "" : "s")} failed";
        return new VerificationFinding(a.Cell, a.Model, kind, a.Accuracy, r.Accuracy, message, a.Strategy);
    }

    private static string F(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
}
