using HierReason.Core.Results;

namespace HierReason.Harness.Aggregation;

/// <summary>
/// Mean and standard error of scores pooled from sums (n, Σx, Σx²): the standard error is the sample standard
/// deviation (Bessel's correction) ÷ √n, and 0 when n &lt; 2. Benchmark rows cluster repeated questions instead
/// (<see cref="QuestionSums"/>, which equals this when every question is distinct).
/// </summary>
public static class CellStatistics
{
    public static (double Mean, double StdErr) MeanAndStdErr(long n, double sum, double sumOfSquares)
    {
        if (n <= 0) return (0, 0);
        var sums = QuestionSums.Distinct(n, sum, sumOfSquares);
        return (sums.Mean, sums.StdErr);
    }

    /// <summary>An unweighted average over k cells: mean of the means, √(Σ seᵢ²) ÷ k.</summary>
    public static (double Mean, double StdErr) Average(IReadOnlyList<(double Mean, double StdErr)> cells)
    {
        if (cells.Count == 0) return (0, 0);
        return (cells.Average(c => c.Mean), Math.Sqrt(cells.Sum(c => c.StdErr * c.StdErr)) / cells.Count);
    }
}
