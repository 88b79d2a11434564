namespace HierReason.Harness.Aggregation;

/// <summary>
/// Mean and standard error of scores pooled from sums (n, Σx, Σx²): the standard error is the sample standard
/// deviation (Bessel's correction) ÷ √n, and 0 when n &lt; 2.
/// </summary>
public static class CellStatistics
{
    public static (double Mean, double StdErr) MeanAndStdErr(long n, double sum, double sumOfSquares)
    {
        if (n <= 0) return (0, 0);
        var mean = sum / n;
        if (n < 2) return (mean, 0);
        var variance = Math.Max(0, (sumOfSquares - sum * sum / n) / (n - 1));
        return (mean, Math.Sqrt(variance / n));
    }

    /// <summary>An unweighted average over k cells: mean of the means, √(Σ seᵢ²) ÷ k.</summary>
    public static (double Mean, double StdErr) Average(IReadOnlyList<(double Mean, double StdErr)> cells)
    {
        if (cells.Count == 0) return (0, 0);
        return (cells.Average(c => c.Mean), Math.Sqrt(cells.Sum(c => c.StdErr * c.StdErr)) / cells.Count);
    }
}
