using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Backends;
using HierReason.Core.Episodes;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Inference;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Reasoning.Evaluation;
using HierReason.Reasoning.Strategies;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Rewards;

namespace HierReason.Reasoning.Tests.Evaluation;

/// <summary>
/// GRPO's rollouts and the benchmark worker's episodes are one code path: at a temperature so low that sampling is the
/// argmax, a GRPO step's episodes of a multi-turn strategy are, token for token, the episodes `eval --job` writes for the
/// same items, model and budget. The test strategy makes every episode depend on its item (a first turn restricted to
/// the answer's characters, then an environment segment quoting the question), so equal texts mean equal turns.
/// </summary>
public sealed class OneRolloutPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-one-path-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_near_greedy_grpo_rollout_equals_the_benchmark_workers_episode_for_the_same_items()
    {
        const int budget = 24;
        var modelDir = Path.Combine(_dir, "tiny");
        LocalModel.InitTiny(modelDir, 5);
        var task = TaskRegistry.Default.Get("basic_arithmetic");
        var config = task.Levels[0];
        var items = TaskDataset.Create(task, Split.Test, 3, 4, config, 0).ToList();
        // The benchmark worker: a calculator job on those items.
        var job = new EvalJob("k", task.Name, (JsonObject)JsonSerializer.SerializeToNode(config, task.ConfigType, HierJson.Options)!, 0, "test", 3, 4,
            new ModelSpec("tiny", "local", modelDir, null, null, null, GenerationSpec.Default with { MaxTokens = budget }, null, null, null, 1, "h"),
            "cpu:0", Path.Combine(_dir, "r.json"), Path.Combine(_dir, "r.jsonl"), BatchSize: 4,
            Strategy: new StrategySpec("calculator", new JsonObject { ["max_calls"] = 2 }));
        var strategy = new EpisodeStrategy { Name = "calculator", Environment = new QuotingEnvironment(new ByteTokenizer()) };
        await using (var backend = BackendFactory.Create(job.Model, "cpu:0"))
            await new JobEvaluator(backend, TaskRegistry.Default, strategies: new StrategyRegistry([("calculator", _ => strategy)])).RunAsync(job);
        var evaluated = File.ReadAllLines(job.SamplesPath).Select(l => JsonNode.Parse(l)!["completion"]!.GetValue<string>()).ToArray();

        // GRPO: the same model, the same items, the same strategy, sampled at a temperature where sampling is the argmax.
        var tokenizer = TokenizerLoader.Load(modelDir);
        using var model = CheckpointLoader.Load(modelDir, DeviceSpec.Cpu);
        var options = new GrpoOptions { NumGenerations = 2, MaxCompletionLength = budget, OverlongCacheLength = 2, Temperature = 1e-4 };
        var settings = new GrpoSection(options, Steps: 1, PromptsPerStep: 4, GradAccum: 1, LearningRate: 0, WarmupSteps: 0, WeightDecay: 0, MaxGradNorm: 1,
            MinLearningRateRatio: 1, Rewards: new Dictionary<string, IReadOnlyDictionary<string, double>> { [task.Name] = new Dictionary<string, double> { ["correctness"] = 1 } },
            RewardSettings: new RewardSettings(), Environment: "calculator", EnvironmentOptions: new JsonObject { ["max_calls"] = 2 }, MaxBadSteps: 5);
        using var trainer = new GrpoTrainer(model, tokenizer, ChatTemplates.ForModel(modelDir, tokenizer), settings, items, [task],
            strategy: strategy);
        trainer.TrainStep();
        var rolled = trainer.LastEpisodes.Where((_, i) => i % 2 == 0).Select(e => e.CompletionText).ToArray();

        Assert.Equal(evaluated, rolled);
        // The random model writes different text for different prompts, so equal texts mean equal prompts and turns.
        Assert.True(evaluated.Distinct().Count() == items.Count, "the completions differ between items: " + string.Join(" | ", evaluated));
        Assert.All(trainer.LastEpisodes, e => Assert.Equal(3, e.Segments.Count(s => s.Actor != Actor.Prompt)));
    }

    /// <summary>A first turn of two tokens from the answer's characters, then the question quoted back, then a short free turn.</summary>
    private sealed class QuotingEnvironment(ITokenizer tokenizer) : IEnvironment
    {
        public string Name => "calculator";

        public TurnSpec NextTurn(Episode episode) => episode.PolicyTurns == 0
            ? new TurnSpec([], tokenizer.Encode(episode.Item!.Answer).Distinct().ToArray(), MaxTokens: 2)
            : new TurnSpec([], MaxTokens: 6);

        public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EnvironmentStep?>>(episodes.Select(e => e.PolicyTurns == 1
                ? EnvironmentStep.Continue(new Segment(Actor.Environment, $"<result>{e.Item!.Question}</result>"))
                : null).ToArray());
    }
}
