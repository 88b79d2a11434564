namespace HierReason.Core.Results;

/// <summary>
/// Two runs scored on the same items, compared item by item: the mean difference with the standard error of the paired
/// differences, and McNemar's exact test on the discordant items (one right, the other wrong). Pairing removes the spread
/// between easy and hard items that two independent intervals carry, so a real 3-point gain on 200 shared items can be
/// significant where the two Wilson intervals overlap.
/// </summary>
/// <param name="N">Items scored by both.</param>
/// <param name="Delta">Mean score of A minus mean score of B (a fraction).</param>
/// <param name="StdErr">Standard error of that mean difference (Bessel's s of the differences ÷ √n; 0 below two items).</param>
/// <param name="OnlyA">Items A got right (score 1) and B did not.</param>
/// <param name="OnlyB">Items B got right and A did not.</param>
/// <param name="PValue">Two-sided exact McNemar p-value: the binomial(OnlyA + OnlyB, ½) probability of a split at least
/// as uneven as the one seen; 1 when no item is discordant.</param>
public sealed record PairedComparison(int N, double Delta, double StdErr, int OnlyA, int OnlyB, double PValue)
{
    /// <summary>Compares score pairs (A's score, B's score) of the same items; a score ≥ 1 − 1e-9 counts as right for McNemar.</summary>
    public static PairedComparison Of(IReadOnlyList<(double A, double B)> pairs)
    {
        var n = pairs.Count;
        if (n == 0) return new PairedComparison(0, 0, 0, 0, 0, 1);
        var differences = pairs.Select(p => p.A - p.B).ToArray();
        var mean = differences.Average();
        var se = n < 2 ? 0 : Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (n - 1) / n);
        static bool Right(double score) => score >= 1 - 1e-9;
        var onlyA = pairs.Count(p => Right(p.A) && !Right(p.B));
        var onlyB = pairs.Count(p => Right(p.B) && !Right(p.A));
        return new PairedComparison(n, mean, se, onlyA, onlyB, McNemarExact(onlyA, onlyB));
    }

    /// <summary>Two-sided exact McNemar p-value for discordant counts b and c: min(1, 2 · P(X ≤ min(b, c))), X ~ Binomial(b + c, ½).</summary>
    public static double McNemarExact(int b, int c)
    {
        var m = b + c;
        if (m == 0) return 1;
        var low = Math.Min(b, c);
        // Σ_{i ≤ low} C(m, i) / 2^m, summed in log space so m in the thousands neither overflows nor underflows.
        var logHalf = -m * Math.Log(2);
        double tail = 0, logChoose = 0; // log C(m, 0)
        for (var i = 0; i <= low; i++)
        {
            if (i > 0) logChoose += Math.Log(m - i + 1) - Math.Log(i);
            tail += Math.Exp(logChoose + logHalf);
        }
        return Math.Min(1, 2 * tail);
    }
}
