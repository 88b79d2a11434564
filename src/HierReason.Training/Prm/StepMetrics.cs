namespace HierReason.Training.Prm;

/// <summary>Step-level classification metrics of a PRM: accuracy at p ≥ 0.5 and ROC AUC of p against the true label.</summary>
public static class StepMetrics
{
    /// <summary>Share of steps where (score ≥ 0.5) equals the label; NaN when there are none.</summary>
    public static double Accuracy(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        Check(scores, positive);
        if (scores.Count == 0) return double.NaN;
        var right = 0;
        for (var i = 0; i < scores.Count; i++)
            if (scores[i] >= 0.5 == positive[i]) right++;
        return (double)right / scores.Count;
    }

    /// <summary>
    /// ROC AUC = P(score of a random positive &gt; score of a random negative), a tie counting ½ (Mann–Whitney U / (P·N)),
    /// from average ranks in O(n log n); NaN when either class is absent.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        Check(scores, positive);
        var positives = positive.Count(p => p);
        var negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var positiveRankSum = 0.0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1.0;                                        // 1-based ranks start+1 … end+1
            for (var k = start; k <= end; k++)
                if (positive[order[k]]) positiveRankSum += averageRank;
            start = end + 1;
        }
        var u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    private static void Check(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        if (scores.Count != positive.Count) throw new ArgumentException($"{scores.Count} scores for {positive.Count} labels");
        if (scores.Any(double.IsNaN)) throw new ArgumentException("a score is NaN");
    }
}
