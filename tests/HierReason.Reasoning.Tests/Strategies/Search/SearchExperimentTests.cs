using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Reasoning.Strategies;
using HierReason.Reasoning.Strategies.Search;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Sft;

namespace HierReason.Reasoning.Tests.Strategies.Search;

/// <summary>Search experiments as `hierreason train` runs them: SFT on gold thinker episodes, GRPO with a scripted searcher and no frozen model.</summary>
public sealed class SearchExperimentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-search-exp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string sectionName, string section)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, $$"""
            {
              "model": { "init": "tiny", "seed": 1 },
              "data": { "tasks": [ { "task": "multi_hop_lookup", "level": 0 } ] },
              "{{sectionName}}": {{section}},
              "output": "{{Path.Combine(_dir, "out", name).Replace("\\", "/")}}",
              "eval": { "every": 0, "readiness_n": 2 }
            }
            """);
        return path;
    }

    [Fact]
    public void Sft_learns_gold_thinker_episodes_of_flat_search()
    {
        var config = ExperimentConfig.Load(Write("flat-sft", "sft",
            """{ "steps": 2, "batch_size": 2, "learning_rate": 0.003, "max_seq_len": 1024, "environment": "flat_search", "environment_options": { "top_k": 1 } }"""));
        using var strategies = ExperimentStrategies.ForSft();
        using var run = SftRun.Create(config, strategies: strategies.Create);
        var losses = new List<double>();
        run.Run(onStep: m => losses.Add(m.Loss));
        Assert.Equal(2, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));
    }

    [Fact]
    public void Grpo_with_the_extractive_searcher_needs_no_frozen_model_and_runs_thinker_episodes()
    {
        var config = ExperimentConfig.Load(Write("ts-grpo", "grpo", """
            { "steps": 1, "prompts_per_step": 2, "num_generations": 2, "max_new_tokens": 8, "overlong_cache_length": 2,
              "learning_rate": 0.001, "environment": "thinker_searcher", "environment_options": { "searcher": "extractive" },
              "rewards": { "correctness": 1.0, "search_cost": 0.1 } }
            """));
        using var strategies = ExperimentStrategies.ForGrpo(config);
        using var run = GrpoRun.Create(config, strategies: strategies.Create);
        run.Run();
        Assert.Empty(strategies.Models);
        Assert.Equal(ThinkerSearcherStrategy.Name, run.Trainer.Strategy.Name);
        Assert.All(run.Trainer.LastEpisodes, e => Assert.Equal(Actor.Policy, e.Segments[1].Actor));
    }

    [Fact]
    public void A_model_searcher_needs_its_frozen_model_and_a_scripted_one_refuses_one()
    {
        var missing = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(Write("ts-model", "grpo",
            """{ "steps": 1, "environment": "thinker_searcher" }""")));
        Assert.Contains("a frozen model for each of the roles searcher of 'thinker_searcher'", missing.Message, StringComparison.Ordinal);
        var extra = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(Write("ts-oracle", "grpo",
            """{ "steps": 1, "environment": "thinker_searcher", "environment_options": { "searcher": "oracle" }, "environment_models": { "searcher": { "from": "x" } } }""")));
        Assert.Contains("calls no frozen model with these options", extra.Message, StringComparison.Ordinal);
    }
}
