namespace HierReason.Training.Rewards;

/// <summary>Reward functions by name; adding a reward is one class and one line in <see cref="Default"/>.</summary>
public sealed class RewardRegistry
{
    private readonly Dictionary<string, Func<RewardSettings, IRewardFunction>> _factories;

    public RewardRegistry(IEnumerable<(string Name, Func<RewardSettings, IRewardFunction> Create)> factories)
    {
        _factories = new Dictionary<string, Func<RewardSettings, IRewardFunction>>(StringComparer.Ordinal);
        foreach (var (name, create) in factories)
        {
            if (!_factories.TryAdd(name, create)) throw new ArgumentException($"reward '{name}' is registered twice", nameof(factories));
        }
    }

    /// <summary>Every built-in reward.</summary>
    public static RewardRegistry Default { get; } = new(
    [
        ("correctness", _ => new CorrectnessReward()),
        ("format", _ => new FormatReward()),
        ("brevity", _ => new BrevityReward()),
        ("overlong", s => new OverlongPenalty(s.OverlongCacheLength, s.OverlongMaxLength)),
        ("trace", _ => new TraceReward()),
        ("consistent_correctness", _ => new ConsistentCorrectnessReward()),
        ("worker_efficiency", _ => new WorkerEfficiencyReward()),
        ("independence", _ => new IndependenceReward()),
        ("coverage", _ => new CoverageReward()),
        ("plan_parse", _ => new PlanParseReward()),
        ("search_cost", _ => new SearchCostReward()),
        ("search_r1_format", _ => new SearchR1FormatReward()),
        ("thought_length", _ => new ThoughtLengthReward()),
        ("thought_steps", _ => new ThoughtStepsReward()),
    ]);

    public IEnumerable<string> Names => _factories.Keys.Order(StringComparer.Ordinal);

    /// <summary>The reward called <paramref name="name"/>; an unknown name is a user error that lists the known ones.</summary>
    public IRewardFunction Create(string name, RewardSettings? settings = null)
    {
        if (!_factories.TryGetValue(name, out var create))
            throw new TrainingException($"unknown reward '{name}' (known rewards: {string.Join(", ", Names)})");
        var reward = create(settings ?? new RewardSettings());
        if (reward.Name != name) throw new InvalidOperationException($"reward registered as '{name}' calls itself '{reward.Name}'");
        return reward;
    }
}
