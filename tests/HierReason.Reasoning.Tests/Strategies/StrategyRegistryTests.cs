using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Reasoning.Strategies;

namespace HierReason.Reasoning.Tests.Strategies;

public class StrategyRegistryTests
{
    [Fact]
    public void Every_catalogued_strategy_has_an_implementation_and_no_other()
        => Assert.Equal(StrategyCatalog.Default.Names, StrategyRegistry.Default.Names);

    [Fact]
    public void The_calculator_is_built_from_its_checked_options()
    {
        var strategy = StrategyRegistry.Default.Create("calculator", new JsonObject { ["max_calls"] = 2 });
        var environment = Assert.IsType<CalculatorEnvironment>(strategy.Environment);
        Assert.Equal(2, environment.MaxCalls);
        Assert.Equal(AnswerSource.Policy, strategy.Answers);
        Assert.Contains("<calc>expression</calc>", strategy.Prompt(HierReason.Core.Tasks.TaskRegistry.Default.Get("chain_sum")
            .Generate(HierReason.Core.Tasks.TaskRegistry.Default.Get("chain_sum").DefaultConfig, HierReason.Core.Tasks.Split.Test, 0, 0)));
        Assert.Equal(4, Assert.IsType<CalculatorEnvironment>(StrategyRegistry.Default.Create("calculator", new JsonObject()).Environment).MaxCalls);
    }

    [Fact]
    public void Bad_options_are_config_errors_at_their_path()
    {
        var e = Assert.Throws<ConfigException>(() => StrategyRegistry.Default.Create("calculator", new JsonObject { ["max_cals"] = 2 }, "models.json", "$.models[2].options"));
        Assert.Contains("models.json: $.models[2].options.max_cals", e.Message);
        Assert.Throws<ConfigException>(() => StrategyRegistry.Default.Create("vanilla", new JsonObject { ["x"] = 1 }));
        Assert.Contains("best_of_n, calculator, flat_search, majority_vote, planner_worker, taxonomy, thinker_searcher, vanilla", Assert.Throws<ConfigException>(() => StrategyRegistry.Default.Create("tree_search", new JsonObject())).Message);
    }
}
