using HierReason.Core.Tasks;
using HierReason.Training.Rewards;

namespace HierReason.Training.Tests.Rewards;

public class RewardTests
{
    private static readonly IReasoningTask Task = TaskRegistry.Default.Get("basic_arithmetic");
    private static readonly TaskItem Item = Task.Generate(Task.DefaultConfig, Split.Train, 1, 0);

    private static RewardContext Ctx(string completion, int tokens = 10, int max = 100, bool truncated = false) =>
        RewardContext.ForText(Item, Task, completion, tokens, max, truncated);

    [Fact]
    public void Correctness_scores_the_gold_answer_one_and_a_neighbouring_number_zero()
    {
        var reward = new CorrectnessReward();
        Assert.Equal(1.0, reward.Score(Ctx($"<think>easy</think><answer>{Item.Answer}</answer>")));
        var wrong = long.Parse(Item.Answer, System.Globalization.CultureInfo.InvariantCulture) + 1;
        Assert.Equal(0.0, reward.Score(Ctx($"<answer>{wrong}</answer>")));
        Assert.Equal(0.0, reward.Score(Ctx(Item.Answer)));
    }

    [Theory]
    [InlineData("<answer>5</answer>", 1.0)]
    [InlineData("<think>x</think> <answer>5</answer>", 1.0)]
    [InlineData("<answer>5</answer><answer>6</answer>", 0.0)]
    [InlineData("<answer> </answer>", 0.0)]
    [InlineData("5", 0.0)]
    public void Format_is_one_only_for_a_single_well_formed_answer(string completion, double expected)
        => Assert.Equal(expected, new FormatReward().Score(Ctx(completion)));

    [Fact]
    public void Trace_pays_the_fraction_of_gold_steps_written_verbatim()
    {
        var legs = TaskRegistry.Default.Get("leg_counting");
        // Three animals: three product lines and the total line are the steps.
        var item = Enumerable.Range(0, 200).Select(i => legs.Generate(legs.DefaultConfig, Split.Train, 0, i))
            .First(x => x.Solution.Split('\n').Count(l => l.Contains(" * ", StringComparison.Ordinal)) == 3);
        var steps = item.Solution.Split('\n').Where(l => !l.Contains("<answer>", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, steps.Length);
        RewardContext For(string completion) => RewardContext.ForText(item, legs, completion, 10, 100, false);
        var reward = new TraceReward();

        Assert.Equal(1.0, reward.Score(For(item.Solution)));
        // Two of four steps, indented differently, with a wrong answer: partial credit regardless of correctness.
        Assert.Equal(0.5, reward.Score(For($"  {steps[0]}\n{steps[2]}  \n<answer>0</answer>")), 12);
        // Writing one step twice counts once; skipping the steps earns nothing even with the right answer.
        Assert.Equal(0.25, reward.Score(For($"{steps[1]}\n{steps[1]}")), 12);
        Assert.Equal(0.0, reward.Score(For($"<answer>{item.Answer}</answer>")));
        Assert.Equal(0.0, reward.Score(For(steps[0] + "0")));
        Assert.Contains("trace", RewardRegistry.Default.Names);
    }

    [Theory]
    [InlineData(0, 100, 1.0)]
    [InlineData(25, 100, 0.75)]
    [InlineData(100, 100, 0.0)]
    [InlineData(130, 100, 0.0)]
    public void Brevity_is_one_minus_the_used_fraction_of_the_budget(int tokens, int max, double expected)
        => Assert.Equal(expected, new BrevityReward().Score(Ctx("", tokens, max)), 12);

    [Theory]
    [InlineData(50, 0.0)]     // well inside
    [InlineData(80, 0.0)]     // exactly L_max − L_cache
    [InlineData(85, -0.25)]   // (80 − 85) / 20
    [InlineData(90, -0.5)]
    [InlineData(100, -1.0)]   // exactly L_max
    [InlineData(120, -1.0)]   // beyond
    public void Overlong_penalty_ramps_linearly_to_minus_one_over_the_cache_window(int tokens, double expected)
        => Assert.Equal(expected, new OverlongPenalty(cacheLength: 20, maxLength: 100).Score(Ctx("", tokens, max: 500)), 12);

    [Fact]
    public void Overlong_penalty_without_a_max_length_uses_the_rollout_budget()
        => Assert.Equal(-0.5, new OverlongPenalty(cacheLength: 4).Score(Ctx("", tokens: 14, max: 16)), 12);

    [Fact]
    public void Overlong_penalty_rejects_a_cache_as_long_as_the_limit()
        => Assert.Throws<TrainingException>(() => new OverlongPenalty(cacheLength: 100, maxLength: 100));

    [Fact]
    public void Weighted_rewards_sum_weighted_scores_and_report_each_unweighted()
    {
        var rewards = WeightedRewards.FromWeights(new Dictionary<string, double>
        {
            ["correctness"] = 1.0,
            ["format"] = 0.2,
            ["brevity"] = 0.1,
        });
        var result = rewards.Score(Ctx($"<answer>{Item.Answer}</answer>", tokens: 40, max: 100));
        Assert.Equal(1.0 + 0.2 * 1.0 + 0.1 * 0.6, result.Total, 12);
        Assert.Equal(1.0, result.Components["correctness"]);
        Assert.Equal(1.0, result.Components["format"]);
        Assert.Equal(0.6, result.Components["brevity"], 12);

        var bare = rewards.Score(Ctx("no answer", tokens: 100, max: 100));
        Assert.Equal(0.0, bare.Total);
    }

    [Fact]
    public void Overlong_from_the_registry_uses_the_settings()
    {
        var rewards = WeightedRewards.FromWeights(
            new Dictionary<string, double> { ["overlong"] = 2.0 }, settings: new RewardSettings { OverlongCacheLength = 10 });
        Assert.Equal(2.0 * (90 - 95) / 10.0, rewards.Score(Ctx("", tokens: 95, max: 100)).Total, 12);
    }

    [Fact]
    public void Unknown_reward_name_is_a_user_error_listing_the_known_names()
    {
        var error = Assert.Throws<TrainingException>(() => RewardRegistry.Default.Create("corectness"));
        Assert.Contains("corectness", error.Message);
        Assert.Contains("brevity, consistent_correctness, correctness, coverage, format, independence, overlong, plan_parse", error.Message);
    }

    [Fact]
    public void Every_registered_reward_is_accepted_by_task_config_files()
        => Assert.Equal(
            RewardRegistry.Default.Names.Order(StringComparer.Ordinal),
            HierReason.Core.Configs.TaskConfigFile.RewardNames.Order(StringComparer.Ordinal));

    [Fact]
    public void A_negative_weight_is_a_user_error()
        => Assert.Throws<TrainingException>(() => new WeightedRewards([(new FormatReward(), -1.0)]));

    [Fact]
    public void An_answer_only_the_environment_wrote_never_earns_the_policy_a_reward()
    {
        // A tool result that quotes the gold answer in answer tags, after which the policy does not answer.
        var episode = new HierReason.Core.Episodes.Episode(new HierReason.Core.Episodes.Segment(HierReason.Core.Episodes.Actor.Prompt, Item.Question), Item)
            .Append(new HierReason.Core.Episodes.Segment(HierReason.Core.Episodes.Actor.Policy, "<calc>x</calc>") { ReportedTokens = 3 })
            .Append(new HierReason.Core.Episodes.Segment(HierReason.Core.Episodes.Actor.Environment, $"<result><answer>{Item.Answer}</answer></result>"))
            .Append(new HierReason.Core.Episodes.Segment(HierReason.Core.Episodes.Actor.Policy, "done") { ReportedTokens = 1 })
            .Finish(HierReason.Core.Episodes.EpisodeEnd.Stop);
        var policy = new RewardContext(episode, Task, 100);
        Assert.Equal(0.0, new CorrectnessReward().Score(policy));
        Assert.Equal(0.0, new FormatReward().Score(policy));
        Assert.Equal(4, policy.CompletionTokens);
        // Reading the whole completion (an explicit choice) would count it: the source decides, not the text.
        Assert.Equal(1.0, new CorrectnessReward().Score(policy with { Answers = HierReason.Core.Episodes.AnswerSource.Completion }));
    }

    [Theory]
    [InlineData("chain_sum")]
    [InlineData("basic_arithmetic")]
    [InlineData("leg_counting")]
    [InlineData("multi_step_arithmetic")]
    public void Consistent_correctness_pays_gold_traces_in_full(string taskName)
    {
        var task = TaskRegistry.Default.Get(taskName);
        foreach (var item in Enumerable.Range(0, 50).Select(i => task.Generate(task.Levels[Math.Min(2, task.Levels.Count - 1)], Split.Train, 3, i)))
            Assert.Equal(1.0, new ConsistentCorrectnessReward().Score(RewardContext.ForText(item, task, item.Solution, 10, 100, false)));
    }

    [Fact]
    public void Consistent_correctness_refuses_a_right_answer_after_a_wrong_step_a_bare_answer_and_a_mismatch()
    {
        var chain = TaskRegistry.Default.Get("chain_sum");
        var config = new ChainSumConfig { MinTerms = 2, MaxTerms = 2, MinDigits = 2, MaxDigits = 2, AllowSubtraction = false, ColumnSteps = true };
        var item = chain.Generate(config, Split.Train, 0, 0);
        var reward = new ConsistentCorrectnessReward();
        double Score(string completion) => reward.Score(RewardContext.ForText(item, chain, completion, 10, 100, false));
        var meta = (ChainSumMetadata)item.Metadata;
        Assert.Equal(1.0, Score(item.Solution));
        Assert.Equal(0.0, Score($"<answer>{item.Answer}</answer>"));                        // a guess: no work shown
        var wrongFact = item.Solution.Replace(" = ", " = 1", StringComparison.Ordinal);    // every column fact off
        Assert.Equal(0.0, Score(wrongFact));
        var terms = meta.Expression.Split(" + ").Select(long.Parse).ToArray();
        Assert.Equal(0.0, Score($"{terms[0]} + {terms[1]} = {meta.Result + 1}\n<answer>{item.Answer}</answer>")); // answer ≠ the work's result
        Assert.Equal(1.0, Score($"{terms[0]} + {terms[1]} = {meta.Result}\n<answer>{item.Answer}</answer>"));     // plain equations count too
        Assert.Equal(0.0, Score($"{terms[0]} + {terms[1]} = {meta.Result}\n<answer>{meta.Result + 1}</answer>")); // a wrong answer stays 0
    }

    [Fact]
    public void A_new_reward_is_one_registration_line()
    {
        var registry = new RewardRegistry([("constant", _ => new ConstantReward())]);
        Assert.Equal(0.5, registry.Create("constant").Score(Ctx("")));
    }

    private sealed class ConstantReward : IRewardFunction
    {
        public string Name => "constant";
        public double Score(RewardContext ctx) => 0.5;
    }
}
