namespace HierReason.Training.Rewards;

/// <summary>A weighted sum of reward functions, e.g. a task file's <c>{"correctness": 1.0, "format": 0.1}</c>.</summary>
public sealed class WeightedRewards
{
    private readonly (IRewardFunction Reward, double Weight)[] _terms;

    public WeightedRewards(IEnumerable<(IRewardFunction Reward, double Weight)> terms)
    {
        _terms = terms.ToArray();
        if (_terms.Length == 0) throw new TrainingException("rewards: at least one reward is needed");
        var duplicate = _terms.GroupBy(t => t.Reward.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new TrainingException($"rewards: '{duplicate.Key}' is listed twice");
        var bad = _terms.FirstOrDefault(t => !(t.Weight >= 0) || double.IsInfinity(t.Weight));
        if (bad.Reward is not null) throw new TrainingException($"rewards: weight of '{bad.Reward.Name}' must be a finite number >= 0 (found {bad.Weight})");
    }

    /// <summary>Builds the rewards a task file names (name → weight) from <paramref name="registry"/>.</summary>
    public static WeightedRewards FromWeights(IReadOnlyDictionary<string, double> weights, RewardRegistry? registry = null, RewardSettings? settings = null)
    {
        registry ??= RewardRegistry.Default;
        return new WeightedRewards(weights.Select(w => (registry.Create(w.Key, settings), w.Value)));
    }

    public IEnumerable<string> Names => _terms.Select(t => t.Reward.Name);

    public RewardBreakdown Score(RewardContext ctx)
    {
        var components = new Dictionary<string, double>(_terms.Length, StringComparer.Ordinal);
        var total = 0.0;
        foreach (var (reward, weight) in _terms)
        {
            var score = reward.Score(ctx);
            components[reward.Name] = score;
            total += weight * score;
        }
        return new RewardBreakdown(total, components);
    }
}
