using System.Text.Json.Serialization;

namespace HierReason.Training.Preference;

/// <summary>
/// TRL's DPO metrics over a batch: rewards/chosen = mean β(log π(c) − log π_ref(c)), rewards/rejected, rewards/accuracies
/// (share of pairs whose chosen reward is higher), rewards/margins; plus the policy's mean summed log-probs of chosen and
/// rejected responses (logps/chosen, logps/rejected: both falling is DPO's known collapse).
/// </summary>
public sealed record DpoMetrics(
    [property: JsonPropertyName("rewards_chosen")] double RewardsChosen,
    [property: JsonPropertyName("rewards_rejected")] double RewardsRejected,
    [property: JsonPropertyName("rewards_accuracy")] double RewardAccuracy,
    [property: JsonPropertyName("rewards_margin")] double RewardMargin,
    [property: JsonPropertyName("logps_chosen")] double LogProbChosen,
    [property: JsonPropertyName("logps_rejected")] double LogProbRejected,
    [property: JsonPropertyName("pairs")] int Pairs)
{
    /// <summary>The pair-weighted mean of several batches' metrics.</summary>
    public static DpoMetrics Mean(IReadOnlyCollection<DpoMetrics> batches)
    {
        var n = batches.Sum(m => m.Pairs);
        if (n == 0) throw new ArgumentException("no pairs to average", nameof(batches));
        double Avg(Func<DpoMetrics, double> f) => batches.Sum(m => f(m) * m.Pairs) / n;
        return new DpoMetrics(Avg(m => m.RewardsChosen), Avg(m => m.RewardsRejected), Avg(m => m.RewardAccuracy), Avg(m => m.RewardMargin),
            Avg(m => m.LogProbChosen), Avg(m => m.LogProbRejected), n);
    }
}
