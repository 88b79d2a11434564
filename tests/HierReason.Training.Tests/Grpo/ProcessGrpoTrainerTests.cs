using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Rewards;
using HierReason.Training.Sft;
using HierReason.Training.Tests.Sft;
using Xunit.Abstractions;

namespace HierReason.Training.Tests.Grpo;

/// <summary>GRPO with <c>"advantage": "process"</c> through the trainer's real step, with the oracle step checker's rewards.</summary>
public class ProcessGrpoTrainerTests(ITestOutputHelper output)
{
    private static GrpoSection Settings(GrpoOptions options, string task = "chain_sum") =>
        new(options, Steps: 10, PromptsPerStep: 2, GradAccum: 1, LearningRate: 1e-3, WarmupSteps: 0, WeightDecay: 0, MaxGradNorm: 1,
            MinLearningRateRatio: 1, Rewards: new Dictionary<string, IReadOnlyDictionary<string, double>> { [task] = new Dictionary<string, double> { ["correctness"] = 1.0 } },
            RewardSettings: new RewardSettings(), Environment: EpisodeStrategy.VanillaName, EnvironmentOptions: new JsonObject(), MaxBadSteps: 5);

    private static readonly GrpoOptions Process = new()
    {
        NumGenerations = 4,
        MaxCompletionLength = 48,
        OverlongCacheLength = 8,
        Seed = 7,
        Advantage = AdvantageKind.Process,
        Temperature = 0.7,
    };

    [Fact]
    public void A_process_step_trains_on_per_token_advantages_that_change_at_each_judged_step()
    {
        var items = TinyRun.Items(2);
        using var model = TinyRun.Model(3);
        // A few SFT steps on the two gold traces teach the random model the "a + b = c" line shape, so its samples hold steps.
        using (var sft = new SftTrainer(model, TinyRun.Tokenizer, TinyRun.Template, TinyRun.Settings(150, lr: 1e-2), items))
            for (var i = 0; i < 150; i++) sft.TrainStep();
        using var trainer = new GrpoTrainer(model, TinyRun.Tokenizer, TinyRun.Template, Settings(Process), items, [TaskRegistry.Default.Get("chain_sum")]);
        var metrics = trainer.TrainStep();

        var tokens = trainer.LastTokenAdvantages!;
        for (var i = 0; i < trainer.LastEpisodes.Count; i++)
            output.WriteLine($"{trainer.LastEpisodes[i].PolicyText.Replace("\n", "⏎")} | {string.Join(" ", tokens[i].Distinct().Select(v => v.ToString("F2")))}");
        Assert.NotNull(metrics.Loss);
        Assert.True(double.IsFinite(metrics.Loss!.Value));
        Assert.Equal(trainer.LastEpisodes.Select(e => e.CompletionTokenIds.Count), tokens.Select(t => t.Length));
        var stopIds = TinyRun.Template.StopIds(TinyRun.Tokenizer).Concat(TinyRun.Tokenizer.EosIds).ToArray();
        var changing = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var episode = trainer.LastEpisodes[i];
            var policy = episode.CompletionLossMask.Select((m, t) => (m, t)).Where(x => x.m == 1).Select(x => (double)tokens[i][x.t]);
            Assert.Equal(policy.Average(), trainer.LastAdvantages[i], 6);
            if (tokens[i].Distinct().Count() == 1) continue;
            // The advantage is constant up to the token ending the first judged line and changes right after it.
            changing++;
            var lines = PolicyLines.Of(episode, TinyRun.Tokenizer, stopIds);
            var end = lines.EndTokens[Array.FindIndex(lines.Lines, l => l.Contains(" = ", StringComparison.Ordinal))];
            Assert.All(tokens[i][..(end + 1)], v => Assert.Equal(tokens[i][0], v));
            Assert.NotEqual(tokens[i][end], tokens[i][end + 1]);
        }
        Assert.True(changing > 0, "some episode's advantage changes along its tokens");
    }

    [Fact]
    public void A_process_step_with_a_prm_folder_scores_steps_with_the_prm()
    {
        var items = TinyRun.Items(2);
        var root = Directory.CreateTempSubdirectory("hr-process-prm-").FullName;
        try
        {
            using var model = TinyRun.Model(3);
            using (var sft = new SftTrainer(model, TinyRun.Tokenizer, TinyRun.Template, TinyRun.Settings(150, lr: 1e-2), items))
                for (var i = 0; i < 150; i++) sft.TrainStep();
            var settings = Settings(Process) with { ProcessReward = PrmStepRewardsTests.PrmFolder(root) };
            using var trainer = new GrpoTrainer(model, TinyRun.Tokenizer, TinyRun.Template, settings, items, [TaskRegistry.Default.Get("chain_sum")]);
            var metrics = trainer.TrainStep();
            Assert.True(double.IsFinite(metrics.Loss!.Value));
            // A PRM scores every step in (0, 1), so the steps of a group rarely tie: some episode's advantage changes along its tokens.
            Assert.Contains(trainer.LastTokenAdvantages!, t => t.Distinct().Count() > 1);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_task_without_a_step_checker_or_a_missing_prm_stops_a_process_trainer_at_construction()
    {
        using var model = TinyRun.Model(3);
        var e = Assert.Throws<TrainingException>(() => new GrpoTrainer(model, TinyRun.Tokenizer, TinyRun.Template, Settings(Process), TinyRun.Items(2),
            [TaskRegistry.Default.Get("chain_sum"), TaskRegistry.Default.Get("leg_counting")]));
        Assert.Contains("leg_counting", e.Message);
        Assert.Contains("\"process_reward\": \"oracle\"", e.Message);
        var missing = Path.Combine(Path.GetTempPath(), "hr-no-such-prm");
        var prm = Assert.Throws<TrainingException>(() => new GrpoTrainer(model, TinyRun.Tokenizer, TinyRun.Template, Settings(Process) with { ProcessReward = missing },
            TinyRun.Items(2), [TaskRegistry.Default.Get("chain_sum")]));
        Assert.Contains(missing, prm.Message);
    }
}
