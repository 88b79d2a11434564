using System.Text.Json.Nodes;
using HierReason.Backends;
using HierReason.Core.Episodes;
using HierReason.Engine.Inference;
using HierReason.Reasoning.Strategies;
using HierReason.Reasoning.Strategies.PlannerWorker;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Sft;

namespace HierReason.Reasoning.Tests.Strategies;

/// <summary>Planner experiments end to end as `hierreason train` runs them: SFT on gold plans with no worker, GRPO with the worker loaded from its folder.</summary>
public sealed class ExperimentStrategiesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-exp-strategies-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string sectionName, string section)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, $$"""
            {
              "model": { "init": "tiny", "seed": 1 },
              "data": { "tasks": [ { "task": "multi_step_arithmetic", "level": 0 } ] },
              "{{sectionName}}": {{section}},
              "output": "{{Path.Combine(_dir, "out", name).Replace("\\", "/")}}",
              "eval": { "every": 0, "readiness_n": 5 }
            }
            """);
        return path;
    }

    [Fact]
    public void Sft_on_planner_gold_episodes_trains_a_few_steps_without_a_worker()
    {
        var config = ExperimentConfig.Load(Write("planner-sft", "sft",
            """{ "steps": 3, "batch_size": 2, "learning_rate": 0.003, "max_seq_len": 1024, "environment": "planner_worker", "environment_options": { "combine": "exact" } }"""));
        using var strategies = ExperimentStrategies.ForSft();
        using var run = SftRun.Create(config, strategies: strategies.Create);
        var losses = new List<double>();
        run.Run(onStep: m => losses.Add(m.Loss));

        Assert.Equal(3, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.Empty(strategies.Models);
        Assert.True(File.Exists(Path.Combine(config.Output, "config.json")));
        // The strategy built for SFT has gold episodes and refuses to roll out.
        var strategy = strategies.Create(PlannerWorkerStrategy.Name, config.Sft.EnvironmentOptions!);
        Assert.Equal(Actor.Planner, strategy.PolicyActor);
        var e = Assert.Throws<InvalidOperationException>(() => strategy.Environment!.NextAsync([], default).GetAwaiter().GetResult());
        Assert.Contains("grpo.environment_models", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grpo_loads_the_worker_named_in_the_experiment_and_runs_planner_episodes_through_it()
    {
        LocalModel.InitTiny(Path.Combine(_dir, "worker"), 2);
        var config = ExperimentConfig.Load(Write("planner-grpo", "grpo", """
            { "steps": 1, "prompts_per_step": 2, "num_generations": 2, "max_new_tokens": 8, "overlong_cache_length": 2,
              "learning_rate": 0.001, "environment": "planner_worker", "environment_options": { "combine": "exact", "worker_max_tokens": 4 },
              "environment_models": { "worker": { "path": "worker" } },
              "rewards": { "plan_parse": 0.1, "brevity": 0.5 } }
            """));
        using var strategies = ExperimentStrategies.ForGrpo(config);
        using var run = GrpoRun.Create(config, strategies: strategies.Create);
        run.Run();

        var worker = Assert.IsType<LocalModelBackend>(Assert.Single(strategies.Models).Value);
        Assert.Equal("worker", worker.Name);
        Assert.Equal(PlannerWorkerStrategy.Name, run.Trainer.Strategy.Name);
        Assert.All(run.Trainer.LastEpisodes, e => Assert.Equal(Actor.Planner, e.Segments[1].Actor));
        // The planner alone never answers, so the readiness check (readiness_n 5 above) is skipped for it.
        Assert.False(File.Exists(Path.Combine(config.Output, "readiness.json")));
    }
}
