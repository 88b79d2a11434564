using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Reasoning.Strategies.PlannerWorker;
using HierReason.Reasoning.Strategies.Search;
using HierReason.Reasoning.Strategies.Thinking;

namespace HierReason.Reasoning.Strategies;

/// <summary>
/// Strategy implementations by the names of <see cref="StrategyCatalog"/>; adding a strategy is its environment, one
/// descriptor in the catalog and one line in <see cref="Default"/> (a test checks that the two lists agree).
/// </summary>
public sealed class StrategyRegistry
{
    private readonly Dictionary<string, Func<StrategyContext, EpisodeStrategy>> _factories;

    public StrategyRegistry(IEnumerable<(string Name, Func<StrategyContext, EpisodeStrategy> Create)> factories)
    {
        _factories = new Dictionary<string, Func<StrategyContext, EpisodeStrategy>>(StringComparer.Ordinal);
        foreach (var (name, create) in factories)
            if (!_factories.TryAdd(name, create)) throw new ArgumentException($"strategy '{name}' is registered twice", nameof(factories));
    }

    public static StrategyRegistry Default { get; } = new(
    [
        (EpisodeStrategy.VanillaName, _ => EpisodeStrategy.Vanilla),
        (CalculatorStrategy.Name, ctx => CalculatorStrategy.Create((int)StrategyCatalog.Integer(ctx.Options["max_calls"], null, "$.max_calls", 0, 1000))),
        (PlannerWorkerStrategy.Name, ctx => ctx.GoldOnly
            ? PlannerWorkerStrategy.ForGold()
            : PlannerWorkerStrategy.Create(ctx.Model(StrategyCatalog.WorkerRole), PlannerWorkerOptions.From(ctx.Options))),
        (FlatSearchStrategy.Name, ctx => FlatSearchStrategy.Create(SearchOptions.From(ctx.Options))),
        (ThinkerSearcherStrategy.Name, ctx => ThinkerSearcherStrategy.Create(SearchOptions.From(ctx.Options),
            ctx.GoldOnly || !SearchOptions.From(ctx.Options).UsesSearcherModel ? null : ctx.Model(StrategyCatalog.SearcherRole))),
        (TaxonomyStrategy.Name, ctx => TaxonomyOptions.From(ctx.Options) is var options && ctx.GoldOnly
            ? TaxonomyStrategy.ForGold(options)
            : TaxonomyStrategy.Create(options, options.UsesReasonerModel ? ctx.Model(StrategyCatalog.ReasonerRole) : null)),
        (StrategyCatalog.MajorityVoteName, ctx => new EpisodeStrategy
        {
            Name = StrategyCatalog.MajorityVoteName,
            Selection = SampleSelection.From(ctx.Options, MajorityVoteSelector.Instance),
        }),
        (StrategyCatalog.BestOfNName, ctx => new EpisodeStrategy
        {
            Name = StrategyCatalog.BestOfNName,
            Selection = SampleSelection.From(ctx.Options, Selection.PrmSelector.Load(ctx.Options["prm"]!.GetValue<string>(),
                Engine.Prm.TrajectoryReductions.Parse(ctx.Options["reduction"]!.GetValue<string>()))),
        }),
    ]);

    public IEnumerable<string> Names => _factories.Keys.Order(StringComparer.Ordinal);

    /// <summary>The strategy <paramref name="name"/> with options already checked by its catalog descriptor.</summary>
    public EpisodeStrategy Create(string name, StrategyContext context)
    {
        if (!_factories.TryGetValue(name, out var create))
            throw new Core.HierReasonException($"unknown strategy '{name}' (known strategies: {string.Join(", ", Names)})");
        var strategy = create(context);
        if (strategy.Name != name) throw new InvalidOperationException($"strategy registered as '{name}' calls itself '{strategy.Name}'");
        return strategy;
    }

    /// <summary>A single-model strategy from its name and raw options (checked here against the catalog): what GRPO experiments use.</summary>
    public EpisodeStrategy Create(string name, JsonObject options, string? file = null, string path = "$")
    {
        var descriptor = StrategyCatalog.Default.Get(name, file, path);
        return Create(name, StrategyContext.Of(descriptor.Options(options, file, path)));
    }
}
