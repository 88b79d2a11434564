namespace HierReason.Core.Results;

/// <summary>
/// A 95 % interval for an accuracy that behaves at 0 % and 100 %: the Wilson score interval (Wilson 1927) on the cell's
/// effective sample size. A normal interval (mean ± 1.96 · se) collapses to a point when every answer is wrong or right
/// (0 of 48 would read "0.0 ± 0.0"); Wilson's stays honest: 0 of 48 is [0 %, 7.4 %].
/// The effective n accounts for repeated questions: with a clustered standard error se (<see cref="QuestionSums"/>) it is
/// the Kish design-effect size p(1 − p) ÷ se², so 200 samples of 41 distinct questions count about as much as 41; at 0 % or
/// 100 % (se = 0) it is the number of distinct questions. It never exceeds n.
/// </summary>
public readonly record struct ProportionInterval(double Low, double High, double EffectiveN)
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>What the interval is, as charts and tables say it.</summary>
    public const string Kind = "95 % Wilson interval";

    /// <summary>The interval of a mean <paramref name="p"/> over <paramref name="n"/> samples of <paramref name="questions"/> distinct questions with clustered standard error <paramref name="stdErr"/>.</summary>
    public static ProportionInterval Of(double p, double stdErr, long n, long? questions = null)
    {
        if (n <= 0) return new ProportionInterval(0, 1, 0);
        p = Math.Clamp(p, 0, 1);
        var distinct = Math.Clamp(questions ?? n, 1, n);
        double effective = p > 0 && p < 1 && stdErr > 0 ? Math.Min(n, p * (1 - p) / (stdErr * stdErr)) : distinct;
        effective = Math.Max(1, effective);
        var (low, high) = Wilson(p, effective);
        return new ProportionInterval(low, high, effective);
    }

    /// <summary>The Wilson score interval of proportion <paramref name="p"/> over <paramref name="n"/> (n &gt; 0, not necessarily whole).</summary>
    public static (double Low, double High) Wilson(double p, double n, double z = Z95)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive");
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
