using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Rewards;
using HierReason.Training.Runs;

namespace HierReason.Training.Tests.Grpo;

/// <summary>The GRPO run over steps on the freshly initialised tiny model: small batches and short completions keep each step well under a second.</summary>
public sealed class GrpoRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-grpo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Experiment(string name, int steps, string extraGrpo = "", int checkpointEvery = 0)
    {
        var grpo = JsonNode.Parse($$"""
            {
              "steps": {{steps}}, "prompts_per_step": 2, "num_generations": 3, "max_new_tokens": 8, "overlong_cache_length": 2,
              "learning_rate": 0.001, "warmup_steps": 1, "grad_accum": 2, "seed": 11,
              "rewards": { "brevity": 0.5 }
            }
            """)!.AsObject();
        // Brevity varies with the completion length, so even an untrained model sees reward variance and learns.
        // Overrides replace the defaults above (the parser rejects duplicate keys).
        foreach (var (key, value) in JsonNode.Parse("{" + extraGrpo.TrimStart(',', ' ') + "}")!.AsObject().ToList())
            grpo[key] = value?.DeepClone();
        var output = Path.Combine(_dir, "out", name).Replace("\\", "/");
        var path = Path.Combine(_dir, "experiments", name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "model": { "init": "tiny", "seed": 5 },
              "data": { "seed": 2, "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ] },
              "grpo": {{grpo.ToJsonString()}},
              "output": "{{output}}",
              "checkpoint": { "every": {{checkpointEvery}}, "keep_last": 2 }
            }
            """);
        return path;
    }

    private static readonly string[] MetricFields =
    [
        "step", "skipped", "loss", "reward", "rewards", "accuracy", "frac_reward_zero_std", "clip_ratio", "kl", "entropy",
        "completion_length_mean", "completion_length_min", "completion_length_max", "truncated_fraction", "tokens_per_s",
        "generation_s", "scoring_s", "training_s", "step_time_s", "lr", "grad_norm",
    ];

    [Fact]
    public void A_short_run_writes_a_metrics_line_per_step_checkpoints_the_model_curves_and_a_manifest()
    {
        var config = ExperimentConfig.Load(Experiment("run", 3, checkpointEvery: 2));
        GrpoRunSummary summary;
        using (var run = GrpoRun.Create(config)) summary = run.Run();

        var lines = File.ReadAllLines(Path.Combine(config.Output, GrpoRun.MetricsFileName)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal([1, 2, 3], lines.Select(l => l["step"]!.GetValue<int>()));
        foreach (var line in lines)
        {
            foreach (var field in MetricFields) Assert.True(line.ContainsKey(field), $"metrics line lacks '{field}': {line.ToJsonString()}");
            Assert.InRange(line["completion_length_max"]!.GetValue<int>(), 1, 8);
            Assert.True(line["rewards"]!["correctness"] is JsonObject, "each reward is logged separately");
            Assert.False(line["skipped"]!.GetValue<bool>());
        }
        Assert.True(Directory.Exists(Path.Combine(config.Output, "checkpoint-2")));
        Assert.True(Directory.Exists(Path.Combine(config.Output, "checkpoint-3")));
        Assert.True(File.Exists(Path.Combine(config.Output, "model.safetensors")));
        var png = File.ReadAllBytes(Path.Combine(config.Output, TrainingCurves.FileName));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // The rollout reward comes first, one point a step, so a committed run's curves show whether it rises.
        var rewardPanel = TrainingCurves.Panels(config.Output, TrainingCurves.GrpoSeries)[0];
        Assert.StartsWith("rollout reward", rewardPanel.Title);
        Assert.Equal(lines.Select(l => l["reward"]!["mean"]!.GetValue<double>()), rewardPanel.Lines[0].Ys);
        Assert.Equal(3, summary.Steps);
        Assert.True(summary.ThroughputRatio > 0);

        Assert.True(TrainingManifest.IsUpToDate(config));
        var changed = ExperimentConfig.Load(Experiment("run", 4, checkpointEvery: 2));
        Assert.False(TrainingManifest.IsUpToDate(changed));
    }

    // CPU, one libtorch thread, fixed seeds: rollouts are seeded by (grpo.seed, step), prompts come from the data position,
    // and the checkpoint stores float32 weights and AdamW moments exactly, so both runs execute the same kernels on the
    // same inputs. 1e-6 only absorbs a reduction-order change between calls; a real resume bug (lost moments, a shifted
    // schedule or data position, different rollouts) moves weights by about lr = 1e-3.
    [Fact]
    public void Four_steps_straight_and_two_then_resume_then_two_give_the_same_weights()
    {
        using var straight = GrpoRun.Create(ExperimentConfig.Load(Experiment("straight", 4)));
        straight.Run();

        var splitConfig = ExperimentConfig.Load(Experiment("split", 4));
        using (var first = GrpoRun.Create(splitConfig)) first.Run(maxSteps: 2);
        using var resumed = GrpoRun.Create(splitConfig, RunStart.Resume);
        Assert.Equal(2, resumed.Trainer.Step);
        Assert.Equal(4, resumed.Trainer.DataPosition);
        resumed.Run();

        var metrics = File.ReadAllLines(Path.Combine(splitConfig.Output, GrpoRun.MetricsFileName));
        var straightMetrics = File.ReadAllLines(Path.Combine(_dir, "out", "straight", GrpoRun.MetricsFileName));
        var difference = MaxDifference(straight.Model, resumed.Model);
        Assert.True(difference <= 1e-6, $"max |Δw| = {difference:E3}\n{straightMetrics[2]}\n{metrics[2]}");
        Assert.Equal(4, metrics.Length);

        using var fresh = GrpoRun.Create(ExperimentConfig.Load(Experiment("fresh", 4)));
        Assert.True(MaxDifference(fresh.Model, resumed.Model) > 1e-4, "training moved the weights, so the comparison above can fail");
    }

    [Fact]
    public void Resume_refuses_a_checkpoint_whose_upstream_model_was_trained_again_and_if_changed_starts_over()
    {
        var upstreamOutput = Path.Combine(_dir, "out", "upstream").Replace("\\", "/");
        var upstreamPath = Path.Combine(_dir, "upstream.json");
        File.WriteAllText(upstreamPath, $$"""
            { "model": { "init": "tiny", "seed": 5 }, "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "sft": { "steps": 1, "batch_size": 1, "max_seq_len": 320 }, "output": "{{upstreamOutput}}" }
            """);
        var upstream = ExperimentConfig.Load(upstreamPath);
        using (var sft = HierReason.Training.Sft.SftRun.Create(upstream)) sft.Run();
        var grpoPath = Path.Combine(_dir, "grpo.json");
        File.WriteAllText(grpoPath, $$"""
            { "model": { "from": "{{upstreamOutput}}" }, "data": { "seed": 2, "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "grpo": { "steps": 2, "prompts_per_step": 2, "num_generations": 2, "max_new_tokens": 8, "overlong_cache_length": 2, "learning_rate": 0.001 },
              "eval": { "readiness_n": 0 }, "output": "{{Path.Combine(_dir, "out", "grpo").Replace("\\", "/")}}" }
            """);
        var grpo = ExperimentConfig.Load(grpoPath);
        using (var first = GrpoRun.Create(grpo)) first.Run(maxSteps: 1);
        Assert.Equal(RunStart.Resume, IfChangedPlan.For(grpo).Start);

        using (var again = HierReason.Training.Sft.SftRun.Create(upstream, RunStart.Overwrite)) again.Run();

        var error = Assert.Throws<TrainingException>(() => GrpoRun.Create(grpo, RunStart.Resume));
        Assert.Contains($"the model it starts from ({Path.GetFullPath(upstreamOutput)}) was trained again since", error.Message);
        var plan = IfChangedPlan.For(grpo);
        Assert.Equal(RunStart.Overwrite, plan.Start);
        Assert.Contains("changed", plan.Reason);
    }

    [Fact]
    public void Environment_segments_in_multi_turn_episodes_are_masked_out_of_the_loss()
    {
        var config = ExperimentConfig.Load(Experiment("multi", 1, ", \"max_new_tokens\": 12, \"environment\": \"calculator\""));
        using var run = GrpoRun.Create(config, strategies: (_, _) => new EpisodeStrategy { Name = "calculator", Environment = new AnswerAfterThreeTokens() });
        GrpoStepMetrics? last = null;
        run.Run(onStep: m => last = m);

        var episodes = run.Trainer.LastEpisodes;
        Assert.Contains(episodes, e => e.EnvironmentTurns == 1);
        foreach (var e in episodes.Where(e => e.EnvironmentTurns == 1))
        {
            Assert.Equal([Actor.Prompt, Actor.Policy, Actor.Environment, Actor.Policy], e.Segments.Select(s => s.Actor));
            Assert.Equal(3, e.Segments[1].TokenIds!.Count);
            Assert.InRange(e.PolicyTokenCount, 4, 12);
        }
        Assert.NotNull(last);
        Assert.Equal(episodes.Sum(e => (long)e.PolicyTokenCount), last.ActiveTokens);
        Assert.True(episodes.Sum(e => (long)e.CompletionTokenIds.Count) > last.ActiveTokens);
        Assert.Equal(episodes.Count(e => e.EnvironmentTurns == 1), last.EnvironmentTurns);
    }

    [Fact]
    public void Non_finite_rewards_skip_steps_without_updating_and_stop_after_max_bad_steps()
    {
        var config = ExperimentConfig.Load(Experiment("nan", 5, ", \"max_bad_steps\": 2"));
        var registry = new RewardRegistry([("correctness", _ => new NanReward()), ("brevity", _ => new BrevityReward())]);
        using var run = GrpoRun.Create(config, registry: registry);
        using var initial = GrpoRun.Create(config);

        var error = Assert.Throws<BadStepsException>(() => run.Run());
        Assert.Contains("2 consecutive steps were skipped", error.Message);
        Assert.Contains("max_bad_steps", error.Message);
        var lines = File.ReadAllLines(Path.Combine(config.Output, GrpoRun.MetricsFileName)).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(l["skipped"]!.GetValue<bool>()));
        Assert.All(lines, l => Assert.Equal("a reward is not finite", l["skip_reason"]!.GetValue<string>()));
        Assert.Equal(0.0, MaxDifference(initial.Model, run.Model));
    }

    [Theory]
    [InlineData("\"loss_type\": \"ppo\"", "$.grpo.loss_type", "grpo, bnpo, dr_grpo, dapo")]
    [InlineData("\"scale_rewards\": \"max\"", "$.grpo.scale_rewards", "group, batch, none")]
    [InlineData("\"num_generations\": 1", "$.grpo.num_generations", "an integer in [2")]
    [InlineData("\"rewards\": { \"niceness\": 1 }", "$.grpo.rewards.niceness", "a reward name")]
    [InlineData("\"environment\": \"shell\"", "$.grpo.environment", "best_of_n, calculator, flat_search, majority_vote, planner_worker, taxonomy, thinker_searcher, vanilla")]
    [InlineData("\"environment\": \"planner_worker\"", "$.grpo.environment_models", "a frozen model for each of the roles worker")]
    [InlineData("\"environment\": \"majority_vote\"", "$.grpo.environment", "selection strategies are benchmark rows only")]
    [InlineData("\"environment\": \"calculator\", \"environment_options\": { \"max_calls\": -1 }", "$.grpo.environment_options.max_calls", "an integer in [0, 1000]")]
    [InlineData("\"max_calls\": 2", "$.grpo.max_calls", "only with")]
    [InlineData("\"mask_truncated_completions\": 1", "$.grpo.mask_truncated_completions", "true or false")]
    [InlineData("\"temprature\": 0.7", "$.grpo.temprature", "unknown field")]
    public void Grpo_config_errors_name_the_file_the_json_path_and_the_expectation(string field, string jsonPath, string expected)
    {
        var path = Experiment("bad", 1, ", " + field);
        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Contains("bad.json", error.Message);
        Assert.Contains(jsonPath, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Model_from_a_missing_folder_is_a_clear_error()
    {
        var path = Path.Combine(_dir, "from.json");
        File.WriteAllText(path, """{ "model": { "from": "no/such/model" }, "data": { "tasks": [ { "task": "chain_sum" } ] }, "grpo": { "steps": 1 } }""");
        var config = ExperimentConfig.Load(path);
        var error = Assert.Throws<TrainingException>(() => GrpoRun.Create(config));
        Assert.Contains("$.model.from", error.Message);
        Assert.Contains("no/such/model", error.Message);
    }

    private static double MaxDifference(CausalLM a, CausalLM b)
    {
        var other = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return a.named_parameters().Max(p => (p.parameter - other[p.name]).abs().max().item<float>());
    }

    private sealed class NanReward : IRewardFunction
    {
        public string Name => "correctness";
        public double Score(RewardContext ctx) => double.NaN;
    }

    /// <summary>A tool that limits the policy's first turn to three tokens and answers it once (when it used all three).</summary>
    private sealed class AnswerAfterThreeTokens : IEnvironment
    {
        public string Name => "calculator";

        public TurnSpec NextTurn(Episode episode) => episode.PolicyTurns == 0 ? new TurnSpec([], MaxTokens: 3) : TurnSpec.Open;

        public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EnvironmentStep?>>(episodes.Select(e => e.EnvironmentTurns == 0 && e.PolicySegments.First().TokenCount == 3
                ? EnvironmentStep.Continue(new Segment(Actor.Environment, "<result>ok</result>"))
                : null).ToArray());
    }

    [Fact]
    public void Optimizer_state_from_model_continues_the_moments_the_source_training_ended_with()
    {
        var upstreamOutput = Path.Combine(_dir, "out", "warm-up").Replace("\\", "/");
        var upstreamPath = Path.Combine(_dir, "warm-up.json");
        File.WriteAllText(upstreamPath, $$"""
            { "model": { "init": "tiny", "seed": 5 }, "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "sft": { "steps": 3, "batch_size": 1, "max_seq_len": 320 }, "checkpoint": { "every": 2, "keep_last": 1 }, "output": "{{upstreamOutput}}" }
            """);
        var upstream = ExperimentConfig.Load(upstreamPath);
        using (var sft = HierReason.Training.Sft.SftRun.Create(upstream)) sft.Run();
        string Grpo(string name, string state)
        {
            var path = Path.Combine(_dir, name + ".json");
            File.WriteAllText(path, $$"""
            { "model": { "from": "{{upstreamOutput}}", "optimizer_state": "{{state}}" }, "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "grpo": { "steps": 1, "prompts_per_step": 2, "num_generations": 2, "max_new_tokens": 8, "overlong_cache_length": 2 },
              "eval": { "readiness_n": 0 }, "output": "{{Path.Combine(_dir, "out", name).Replace("\\", "/")}}" }
            """);
            return path;
        }

        // The run saved checkpoint-2 and, at its end, checkpoint-3 holding the final weights: that one's moments are continued.
        var warmPath = Grpo("warm", "from_model");
        using (var warm = GrpoRun.Create(ExperimentConfig.Load(warmPath)))
        {
            var saved = Path.Combine(_dir, "warm-state.bin");
            warm.Trainer.Optimizer.Save(saved);
            Assert.Equal(File.ReadAllBytes(Path.Combine(upstreamOutput, "checkpoint-3", GrpoTrainer.OptimizerFileName)), File.ReadAllBytes(saved));
            using var fresh = GrpoRun.Create(ExperimentConfig.Load(Grpo("fresh", "fresh")));
            var freshState = Path.Combine(_dir, "fresh-state.bin");
            fresh.Trainer.Optimizer.Save(freshState);
            Assert.NotEqual(File.ReadAllBytes(saved), File.ReadAllBytes(freshState));
        }

        // A newest checkpoint that is not the final weights would hand over another model's moments: refused, naming the field.
        Directory.Move(Path.Combine(upstreamOutput, "checkpoint-3"), Path.Combine(upstreamOutput, "checkpoint-9"));
        File.AppendAllText(Path.Combine(upstreamOutput, "checkpoint-9", "model.safetensors"), " ");
        var error = Assert.Throws<ConfigException>(() => GrpoRun.Create(ExperimentConfig.Load(warmPath), RunStart.Overwrite));
        Assert.Equal((warmPath, "$.model.optimizer_state"), (error.File, error.JsonPath));
        Assert.Contains("checkpoint-9 holding other weights", error.Message);
    }

    [Theory]
    [InlineData("""{ "init": "tiny", "optimizer_state": "from_model" }""", "no \"from\"")]
    [InlineData("""{ "from": "artifacts/models/x", "optimizer_state": "warm" }""", "'warm'")]
    public void Optimizer_state_from_model_needs_a_trained_source(string model, string found)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, $$"""{ "model": {{model}}, "data": { "tasks": [ { "task": "chain_sum" } ] } }""");
        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Equal((path, "$.model.optimizer_state"), (error.File, error.JsonPath));
        Assert.Contains(found, error.Message);
    }
}

