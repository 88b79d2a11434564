using System.Text.Json.Nodes;
using HierReason.Core.Steps;

namespace HierReason.Training.Prm;

/// <summary>Counts of a binary label against the oracle (positive = the oracle says Correct), and the scores they give.</summary>
public sealed record BinaryCounts(int TruePositive, int FalsePositive, int FalseNegative, int TrueNegative)
{
    public int Total => TruePositive + FalsePositive + FalseNegative + TrueNegative;
    public double Precision => Ratio(TruePositive, TruePositive + FalsePositive);
    public double Recall => Ratio(TruePositive, TruePositive + FalseNegative);
    /// <summary>2·TP / (2·TP + FP + FN); 0 when there is no positive at all.</summary>
    public double F1 => Ratio(2 * TruePositive, 2 * TruePositive + FalsePositive + FalseNegative);
    public double Accuracy => Ratio(TruePositive + TrueNegative, Total);

    public BinaryCounts Add(bool label, bool oracleCorrect) => (label, oracleCorrect) switch
    {
        (true, true) => this with { TruePositive = TruePositive + 1 },
        (true, false) => this with { FalsePositive = FalsePositive + 1 },
        (false, true) => this with { FalseNegative = FalseNegative + 1 },
        _ => this with { TrueNegative = TrueNegative + 1 },
    };

    internal static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
}

/// <summary>
/// MC label quality at one K: label F1 for hard (c &gt; 0) and soft (c/K ≥ 0.5) labels over the labelled steps the
/// oracle calls Correct or Incorrect; first-error localisation over trajectories with an oracle-Incorrect labelled step
/// (hit when the first labelled step with a negative label is that step); and, for trajectories without one, how
/// often no label is negative.
/// </summary>
public sealed record LabelQualityRow(
    int K, BinaryCounts Hard, BinaryCounts Soft,
    int ErrorTrajectories, int HardLocalised, int SoftLocalised,
    int CleanTrajectories, int HardClean, int SoftClean)
{
    public double HardLocalisation => BinaryCounts.Ratio(HardLocalised, ErrorTrajectories);
    public double SoftLocalisation => BinaryCounts.Ratio(SoftLocalised, ErrorTrajectories);
    public double HardCleanAccuracy => BinaryCounts.Ratio(HardClean, CleanTrajectories);
    public double SoftCleanAccuracy => BinaryCounts.Ratio(SoftClean, CleanTrajectories);
}

/// <summary>
/// Label quality against the oracle step checkers as K grows, from one run: the curve at k uses the first k rollouts of
/// every state, so a K = 8 run gives k = 1, 2, 4, 8. Only steps that were states and that the oracle judges count;
/// the localisation target is the first such step the oracle calls Incorrect (with <c>--all-steps</c>, the true first error).
/// </summary>
public static class LabelQuality
{
    /// <summary>The k of the curve: powers of two up to <paramref name="maxK"/>, and <paramref name="maxK"/> itself.</summary>
    public static IReadOnlyList<int> DefaultKs(int maxK)
    {
        var ks = new List<int>();
        for (var k = 1; k <= maxK; k *= 2) ks.Add(k);
        if (maxK > 0 && ks[^1] != maxK) ks.Add(maxK);
        return ks;
    }

    /// <summary>One row per k (each at most the smallest K of the records); records without oracle verdicts are skipped.</summary>
    public static IReadOnlyList<LabelQualityRow> Of(IReadOnlyList<StepLabelRecord> records, IReadOnlyList<int>? ks = null)
    {
        var judged = records.Where(r => r.Oracle is not null && r.K > 0).ToArray();
        if (judged.Length == 0) return [];
        var maxK = judged.Min(r => r.K);
        return (ks ?? DefaultKs(maxK)).Where(k => k >= 1 && k <= maxK).Select(k => At(judged, k)).ToArray();
    }

    private static LabelQualityRow At(IReadOnlyList<StepLabelRecord> records, int k)
    {
        var hard = new BinaryCounts(0, 0, 0, 0);
        var soft = hard;
        int errors = 0, hardHit = 0, softHit = 0, clean = 0, hardClean = 0, softClean = 0;
        foreach (var r in records)
        {
            int? target = null, hardFirst = null, softFirst = null;
            var anyCorrect = false;
            for (var j = 0; j < r.Steps.Count; j++)
            {
                if (r.Successes(j, k) is not int c) continue;
                var hardLabel = c > 0;
                var softLabel = 2 * c >= k;
                if (!hardLabel) hardFirst ??= j;
                if (!softLabel) softFirst ??= j;
                var verdict = r.Oracle![j];
                if (verdict == StepVerdict.Neutral) continue;
                var correct = verdict == StepVerdict.Correct;
                anyCorrect |= correct;
                if (!correct) target ??= j;
                hard = hard.Add(hardLabel, correct);
                soft = soft.Add(softLabel, correct);
            }
            if (target is int t)
            {
                errors++;
                if (hardFirst == t) hardHit++;
                if (softFirst == t) softHit++;
            }
            else if (anyCorrect)
            {
                clean++;
                if (hardFirst is null) hardClean++;
                if (softFirst is null) softClean++;
            }
        }
        return new LabelQualityRow(k, hard, soft, errors, hardHit, softHit, clean, hardClean, softClean);
    }

    /// <summary>The rows as the JSON that <c>prm label-quality</c> writes.</summary>
    public static JsonObject ToJson(string file, IReadOnlyList<StepLabelRecord> records, IReadOnlyList<LabelQualityRow> rows)
    {
        static JsonObject Counts(BinaryCounts b) => new()
        {
            ["f1"] = b.F1,
            ["precision"] = b.Precision,
            ["recall"] = b.Recall,
            ["accuracy"] = b.Accuracy,
            ["tp"] = b.TruePositive,
            ["fp"] = b.FalsePositive,
            ["fn"] = b.FalseNegative,
            ["tn"] = b.TrueNegative,
        };
        return new JsonObject
        {
            ["file"] = file,
            ["records"] = records.Count,
            ["items"] = records.Select(r => r.ItemId).Distinct().Count(),
            ["labelled_steps"] = records.Sum(r => r.Outcomes.Count(o => o is not null)),
            ["final_correct"] = records.Count == 0 ? 0 : (double)records.Count(r => r.FinalCorrect) / records.Count,
            ["by_k"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["k"] = r.K,
                ["steps"] = r.Hard.Total,
                ["hard"] = Counts(r.Hard),
                ["soft"] = Counts(r.Soft),
                ["error_trajectories"] = r.ErrorTrajectories,
                ["hard_localisation"] = r.HardLocalisation,
                ["soft_localisation"] = r.SoftLocalisation,
                ["clean_trajectories"] = r.CleanTrajectories,
                ["hard_clean_accuracy"] = r.HardCleanAccuracy,
                ["soft_clean_accuracy"] = r.SoftCleanAccuracy,
            }).ToArray()),
        };
    }
}
