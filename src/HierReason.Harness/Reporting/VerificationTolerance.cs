using System.Globalization;
using HierReason.Core;

namespace HierReason.Harness.Reporting;

/// <summary>
/// How far a task × model may drop before verification fails. A drop fails only when it is larger than
/// <see cref="Points"/> percentage points AND larger than <see cref="StdErrs"/> × √(se_approved² + se_actual²):
/// the first ignores small changes, the second ignores noise on small samples; a real regression exceeds both.
/// </summary>
public sealed record VerificationTolerance(double Points = VerificationTolerance.DefaultPoints, double StdErrs = VerificationTolerance.DefaultStdErrs)
{
    public const double DefaultPoints = 5;
    public const double DefaultStdErrs = 2;

    public static VerificationTolerance Default { get; } = new();

    /// <summary>The rule in words, for help text and reports.</summary>
    public const string Rule = "a drop fails only when it exceeds BOTH the points tolerance AND K × √(se_approved² + se_actual²) (in points)";

    public VerificationTolerance Validated()
    {
        if (!double.IsFinite(Points) || Points < 0)
            throw new HierReasonException($"--tolerance-points: expected a number of percentage points ≥ 0; found {Points.ToString(CultureInfo.InvariantCulture)}");
        if (!double.IsFinite(StdErrs) || StdErrs < 0)
            throw new HierReasonException($"--tolerance-stderr: expected a multiple of the standard error ≥ 0; found {StdErrs.ToString(CultureInfo.InvariantCulture)}");
        return this;
    }

    /// <summary>The noise allowance for one cell, in percentage points.</summary>
    public double NoisePoints(double stdErrApproved, double stdErrActual)
        => StdErrs * Math.Sqrt(stdErrApproved * stdErrApproved + stdErrActual * stdErrActual) * 100;
}
