namespace HierReason.Core.Results;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on Code"): with n samples
/// of an item of which c are correct, the chance that k of them drawn without replacement include a correct one,
/// 1 − C(n − c, k) ÷ C(n, k). "Some of all n samples is right" (k = n) overstates what a k-sample budget would find for
/// k &lt; n; this gives the whole curve pass@1 … pass@n from the same samples. Correct means a score of at least
/// 1 − <see cref="Tolerance"/>: partial credit does not count as a pass.
/// </summary>
public static class PassAtEstimator
{
    /// <summary>How far below 1 a score may be and still count as correct (rounding in verifiers).</summary>
    public const double Tolerance = 1e-9;

    /// <summary>1 − C(n − c, k) ÷ C(n, k), as the product Π over i = n − c + 1 … n of (1 − k ÷ i), which neither overflows nor cancels.</summary>
    public static double Estimate(int n, int c, int k)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1");
        if (c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), c, $"c must be in [0, {n}]");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {n}]");
        // Fewer wrong samples than k: every draw of k holds a right one.
        if (n - c < k) return 1;
        var allWrong = 1.0;
        for (var i = n - c + 1; i <= n; i++) allWrong *= 1 - (double)k / i;
        return 1 - allWrong;
    }

    /// <summary>The k the curve reports for n samples per item: the powers of two up to n, and n itself.</summary>
    public static IReadOnlyList<int> Ks(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1");
        var ks = new List<int>();
        for (var k = 1; k <= n; k *= 2) ks.Add(k);
        if (ks[^1] != n) ks.Add(n);
        return ks;
    }

    /// <summary>
    /// pass@k for each k of <see cref="Ks"/>, averaged over items: <paramref name="scores"/> is item-major, n per item.
    /// Null when there are no items.
    /// </summary>
    public static ValueMap<int, double>? Curve(IReadOnlyList<double> scores, int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1");
        if (scores.Count % n != 0) throw new ArgumentException($"{scores.Count} scores do not split into groups of {n}");
        var items = scores.Count / n;
        if (items == 0) return null;
        var correct = new int[items];
        for (var i = 0; i < scores.Count; i++)
            if (scores[i] >= 1 - Tolerance) correct[i / n]++;
        var curve = new ValueMap<int, double>();
        foreach (var k in Ks(n)) curve[k] = correct.Average(c => Estimate(n, c, k));
        return curve;
    }
}
