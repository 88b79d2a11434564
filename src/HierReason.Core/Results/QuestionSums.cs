namespace HierReason.Core.Results;

/// <summary>
/// The sums behind a mean score and its standard error clustered by question. A task whose configuration allows few
/// distinct questions repeats them within a split (level 0 of chain_sum: 41 distinct questions among the first 200 test
/// items), and a deterministic model scores a repeated question the same way every time, so the items are not independent
/// and the textbook s/√n understates the error. The cluster-robust (CR1) variance of the mean treats each question as one
/// draw: V = C/(C−1) · Σ_c (S_c − μ·n_c)² / N², with C questions, n_c items and score sum S_c of question c, N items and
/// mean μ. When every question appears once it equals s²/N with Bessel's correction, so distinct items lose nothing.
/// Sums of disjoint sets of questions add (<see cref="Add"/>); the expanded square needs only Σ S_c², Σ S_c·n_c and Σ n_c².
/// </summary>
/// <param name="N">Items.</param>
/// <param name="Questions">Distinct questions (clusters).</param>
/// <param name="Sum">Σ score.</param>
/// <param name="ClusterSquareSum">Σ_c S_c².</param>
/// <param name="ClusterCrossSum">Σ_c S_c · n_c.</param>
/// <param name="ClusterSizeSquareSum">Σ_c n_c².</param>
public readonly record struct QuestionSums(long N, long Questions, double Sum, double ClusterSquareSum, double ClusterCrossSum, double ClusterSizeSquareSum)
{
    /// <summary>The sums of scored items, clustered by <paramref name="question"/> (any key that is equal for the same question).</summary>
    public static QuestionSums Of<T, TKey>(IEnumerable<T> items, Func<T, TKey> question, Func<T, double> score) where TKey : notnull
    {
        var clusters = new Dictionary<TKey, (long Count, double Sum)>();
        foreach (var item in items)
        {
            var key = question(item);
            clusters.TryGetValue(key, out var c);
            clusters[key] = (c.Count + 1, c.Sum + score(item));
        }
        long n = 0;
        double sum = 0, squares = 0, cross = 0, sizes = 0;
        foreach (var (count, s) in clusters.Values)
        {
            n += count;
            sum += s;
            squares += s * s;
            cross += s * count;
            sizes += (double)count * count;
        }
        return new QuestionSums(n, clusters.Count, sum, squares, cross, sizes);
    }

    /// <summary>Items that are all distinct questions, from n, Σx and Σx² alone (results written before clustering existed).</summary>
    public static QuestionSums Distinct(long n, double sum, double sumOfSquares) => new(n, n, sum, sumOfSquares, sum, n);

    /// <summary>Pools two sets of items whose questions do not overlap (jobs of different seeds are treated so).</summary>
    public QuestionSums Add(QuestionSums other) => new(N + other.N, Questions + other.Questions, Sum + other.Sum,
        ClusterSquareSum + other.ClusterSquareSum, ClusterCrossSum + other.ClusterCrossSum, ClusterSizeSquareSum + other.ClusterSizeSquareSum);

    public double Mean => N == 0 ? 0 : Sum / N;

    /// <summary>The clustered standard error of <see cref="Mean"/>; 0 with fewer than two questions.</summary>
    public double StdErr
    {
        get
        {
            if (N == 0 || Questions < 2) return 0;
            var mean = Mean;
            var residual = Math.Max(0, ClusterSquareSum - 2 * mean * ClusterCrossSum + mean * mean * ClusterSizeSquareSum);
            return Math.Sqrt(Questions / (Questions - 1.0) * residual) / N;
        }
    }
}
