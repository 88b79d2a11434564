using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Engine.Models;
using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Runs;

namespace HierReason.Training.Tests.Grpo;

/// <summary>The experiment's <c>curriculum</c> section wired into GRPO, on the freshly initialised tiny model (it answers nothing correctly).</summary>
public sealed class CurriculumTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-curriculum-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Window = G = 3 and promote_at 1.0 / demote_at 0.99: every prompt whose 3 completions are not all correct moves
    // its task one level down, so chain_sum, starting at level 2, is at level 0 after the first step's two prompts.
    private const string Forcing = """{ "window": 3, "min_samples": 3, "promote_at": 1.0, "demote_at": 0.99, "max_level": 2 }""";

    private string Experiment(string name, int steps, string? curriculum, int level = 2, string tasks = "")
    {
        var output = Path.Combine(_dir, "out", name).Replace("\\", "/");
        var path = Path.Combine(_dir, "experiments", name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "model": { "init": "tiny", "seed": 5 },
              "data": { "seed": 2, "tasks": [ { "task": "chain_sum", "level": {{level}} }{{tasks}} ] },
              "grpo": { "steps": {{steps}}, "prompts_per_step": 2, "num_generations": 3, "max_new_tokens": 8, "overlong_cache_length": 2,
                        "learning_rate": 0.001, "grad_accum": 1, "seed": 11, "rewards": { "brevity": 0.5 } },
              {{(curriculum is null ? "" : $"\"curriculum\": {curriculum},")}}
              "output": "{{output}}",
              "checkpoint": { "every": 0, "keep_last": 2 }
            }
            """);
        return path;
    }

    [Theory]
    [InlineData("""{ "window": 0 }""", "$.curriculum.window", "an integer in [1")]
    [InlineData("""{ "promote_at": 0.5, "demote_at": 0.6 }""", "$.curriculum.demote_at", "a number in [0, promote_at (0.5))")]
    [InlineData("""{ "promote_at": 1.5 }""", "$.curriculum.promote_at", "a number in [0, 1]")]
    [InlineData("""{ "window": 4, "min_samples": 8 }""", "$.curriculum.min_samples", "an integer in [1, 4]")]
    [InlineData("""{ "min_level": 2, "max_level": 1 }""", "$.curriculum.max_level", "an integer in [2")]
    [InlineData("""{ "min_level": 9 }""", "$.curriculum.min_level", "a level every task has (chain_sum has levels 0-3)")]
    [InlineData("""{ "max_level": 1 }""", "$.data.tasks[0].level", "a starting level in the curriculum's range [0, 1]")]
    [InlineData("""{ "raise_above": 0.7 }""", "$.curriculum.raise_above", "unknown field")]
    [InlineData("""[]""", "$.curriculum", "an object")]
    public void Curriculum_config_errors_name_the_file_the_json_path_and_the_expectation(string curriculum, string jsonPath, string expected)
    {
        var path = Experiment("bad", 1, curriculum);
        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Contains("bad.json", error.Message);
        Assert.Contains(jsonPath, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_section_is_optional_and_defaults_to_the_curriculum_options_defaults()
    {
        Assert.Null(ExperimentConfig.Load(Experiment("none", 1, null)).Curriculum);
        var section = ExperimentConfig.Load(Experiment("defaults", 1, "{}", level: 1, tasks: """, { "task": "leg_counting" }""")).Curriculum;
        Assert.NotNull(section);
        Assert.Equal(new CurriculumOptions(), section.Options);
        Assert.Equal([("chain_sum", 0, 3, 1), ("leg_counting", 0, TaskRegistry.Default.Get("leg_counting").Levels.Count - 1, 0)],
            section.Tasks.Select(t => (t.Task.Name, t.MinLevel, t.MaxLevel, t.StartLevel)));
        var overrides = Experiment("overrides", 1, "{}", tasks: """, { "task": "leg_counting", "level": 0, "config": { "min_animals": 1 } }""");
        Assert.Contains("$.data.tasks[1].config", Assert.Throws<ConfigException>(() => ExperimentConfig.Load(overrides)).Message);
    }

    [Fact]
    public void A_curriculum_without_a_grpo_section_is_an_error()
    {
        var path = Path.Combine(_dir, "sft.json");
        File.WriteAllText(path, """{ "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum" } ] }, "curriculum": {} }""");
        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Contains("sft.json", error.Message);
        Assert.Contains("$.curriculum", error.Message);
        Assert.Contains("grpo", error.Message);
    }

    [Fact]
    public void A_restored_snapshot_continues_exactly_like_the_original()
    {
        var task = TaskRegistry.Default.Get("chain_sum");
        var options = new CurriculumOptions { Window = 4, MinSamples = 3, PromoteAt = 0.7, DemoteAt = 0.2 };
        var original = new DifficultyCurriculum(task, options, startLevel: 1);
        double[] before = [1, 0, 0.5, 0.25, 1, 0];
        foreach (var score in before) original.Record(score);
        var copy = new DifficultyCurriculum(task, options);
        copy.Restore(original.Snapshot());
        Assert.Equal((original.Level, original.Samples, original.Mean), (copy.Level, copy.Samples, copy.Mean));
        foreach (var score in new[] { 1.0, 1, 0.9, 0, 0, 0, 0, 1, 1, 1 })
            Assert.Equal(original.Record(score), copy.Record(score));
        Assert.Equal(original.Snapshot().Window, copy.Snapshot().Window);
        Assert.Throws<HierReasonException>(() => copy.Restore(new CurriculumSnapshot(task.Levels.Count, [], 0)));
        Assert.Throws<HierReasonException>(() => copy.Restore(new CurriculumSnapshot(0, [1, 1, 1, 1, 1], 0)));
    }

    [Fact]
    public void Wrong_answers_move_the_level_down_the_metrics_show_it_and_the_next_prompts_are_drawn_at_the_new_level()
    {
        var config = ExperimentConfig.Load(Experiment("down", 2, Forcing));
        using var run = GrpoRun.Create(config);
        var steps = new List<GrpoStepMetrics>();
        run.Run(onStep: steps.Add);

        Assert.Equal([0.0, 0.0], steps.Select(s => s.Accuracy));
        var lines = File.ReadAllLines(Path.Combine(config.Output, GrpoRun.MetricsFileName)).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines[0]!["levels"]!["chain_sum"]!.GetValue<int>());
        Assert.Equal(0, lines[1]!["levels"]!["chain_sum"]!.GetValue<int>());

        // Step 2's prompts are train items 2 and 3 of chain_sum generated at level 0 (data seed 2).
        var chainSum = TaskRegistry.Default.Get("chain_sum");
        var prompts = run.Trainer.LastEpisodes.Select(e => e.Prompt.Text).Distinct().ToList();
        Assert.Equal(2, prompts.Count);
        for (var position = 2; position < 4; position++)
        {
            var item = chainSum.Generate(chainSum.Levels[0], Split.Train, 2, position, 0);
            Assert.Contains(prompts, p => p.Contains(item.Question, StringComparison.Ordinal));
            var harder = chainSum.Generate(chainSum.Levels[2], Split.Train, 2, position, 2);
            Assert.DoesNotContain(prompts, p => p.Contains(harder.Question, StringComparison.Ordinal));
        }

        var state = TrainerState.Load(Path.Combine(config.Output, "checkpoint-2"));
        Assert.NotNull(state.Curriculum);
        Assert.Equal(0, state.Curriculum["chain_sum"].Level);
    }

    [Fact]
    public void Without_a_curriculum_the_metrics_and_trainer_state_have_no_levels()
    {
        var config = ExperimentConfig.Load(Experiment("plain", 1, null));
        using (var run = GrpoRun.Create(config)) run.Run();
        Assert.False(JsonNode.Parse(File.ReadAllLines(Path.Combine(config.Output, GrpoRun.MetricsFileName))[0])!.AsObject().ContainsKey("levels"));
        Assert.DoesNotContain("curriculum", File.ReadAllText(Path.Combine(config.Output, "checkpoint-1", TrainerState.FileName)));
    }

    [Fact]
    public void Resume_restores_levels_and_windows_so_straight_and_resumed_runs_match()
    {
        // Two tasks and a window wider than a group, so the saved windows are part filled when the run stops.
        const string curriculum = """{ "window": 5, "min_samples": 4, "promote_at": 1.0, "demote_at": 0.99 }""";
        const string legs = """, { "task": "leg_counting", "level": 1 }""";
        using var straight = GrpoRun.Create(ExperimentConfig.Load(Experiment("straight", 4, curriculum, tasks: legs)));
        straight.Run();

        var splitConfig = ExperimentConfig.Load(Experiment("split", 4, curriculum, tasks: legs));
        using (var first = GrpoRun.Create(splitConfig)) first.Run(maxSteps: 2);
        var saved = TrainerState.Load(Path.Combine(splitConfig.Output, "checkpoint-2")).Curriculum!;
        using var resumed = GrpoRun.Create(splitConfig, RunStart.Resume);
        Assert.Equal(saved.ToDictionary(kv => kv.Key, kv => kv.Value.Level), resumed.Trainer.State().Curriculum!.ToDictionary(kv => kv.Key, kv => kv.Value.Level));
        resumed.Run();

        static List<string?> Levels(string output) =>
            File.ReadAllLines(Path.Combine(output, GrpoRun.MetricsFileName)).Select(l => JsonNode.Parse(l)!["levels"]?.ToJsonString()).ToList();
        var expected = Levels(Path.Combine(_dir, "out", "straight"));
        Assert.Equal(expected, Levels(splitConfig.Output));
        Assert.True(expected.Distinct().Count() > 1, "levels moved during the run: " + string.Join(" ", expected));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(straight.Trainer.State().Curriculum),
            System.Text.Json.JsonSerializer.Serialize(resumed.Trainer.State().Curriculum));
        Assert.True(MaxDifference(straight.Model, resumed.Model) <= 1e-6);
    }

    private static double MaxDifference(CausalLM a, CausalLM b)
    {
        var other = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return a.named_parameters().Max(p => (p.parameter - other[p.name]).abs().max().item<float>());
    }
}
