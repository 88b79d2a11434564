using System.Globalization;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>Compares a benchmark summary with the approved snapshot, row by row (task × model × strategy).</summary>
public static class SnapshotVerifier
{
    public const string Ok = "ok";
    public const string Improved = "improved";
    public const string Dropped = "dropped";
    public const string New = "new";
    public const string Missing = "missing";

    /// <summary>
    /// One finding per task × model in either file: snapshot rows in their order, then rows only in the results.
    /// Fails on a drop beyond <paramref name="tolerance"/> (see <see cref="VerificationTolerance"/>) or a missing row;
    /// a new row is only reported.
    /// </summary>
    public static VerificationReport Verify(BenchmarkSummary results, ApprovedSnapshot approved, VerificationTolerance tolerance,
        string resultsPath, string approvedPath)
    {
        tolerance = tolerance.Validated();
        var actual = results.Rows.ToDictionary(r => (r.Cell, r.Model, r.Strategy));
        var approvedKeys = approved.Rows.Select(r => (r.Cell, r.Model, r.Strategy)).ToHashSet();
        var findings = new List<VerificationFinding>();

        foreach (var a in approved.Rows)
        {
            if (!actual.TryGetValue((a.Cell, a.Model, a.Strategy), out var r))
            {
                findings.Add(new VerificationFinding(a.Cell, a.Model, Missing, a.Accuracy, null,
                    "in the approved snapshot but not in the results (task, model or strategy removed, or its jobs never ran)", a.Strategy));
                continue;
            }
            findings.Add(Compare(a, r, tolerance));
        }
        foreach (var r in results.Rows.Where(r => !approvedKeys.Contains((r.Cell, r.Model, r.Strategy))))
            findings.Add(new VerificationFinding(r.Cell, r.Model, New, null, r.Accuracy,
                "not in the approved snapshot (run with --accept to approve it)", r.Strategy));

        var passed = findings.All(f => f.Kind is not (Dropped or Missing));
        return new VerificationReport(passed, approvedPath, resultsPath, tolerance.Points, tolerance.StdErrs, findings);
    }

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
