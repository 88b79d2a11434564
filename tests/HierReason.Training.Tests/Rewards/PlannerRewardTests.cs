using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Training.Rewards;

namespace HierReason.Training.Tests.Rewards;

/// <summary>planner_worker's rewards on episodes as its environment leaves them: stats, and sub-questions in the worker segment's metadata.</summary>
public class PlannerRewardTests
{
    private static readonly IReasoningTask Task = TaskRegistry.Default.Get("multi_step_arithmetic");

    /// <summary>An item whose gold parts are known here: 3 + 5 (Ana) and 4 * 2 (Ben), summed.</summary>
    private static readonly TaskItem Item = new("msa/test/0/0", Task.Name, "Ana has 3 apples and finds 5 more. Ben buys 4 boxes of 2 apples. How many apples do Ana and Ben have together?", "16",
        new MultiStepArithmeticMetadata
        {
            Subproblems =
            [
                new SubProblem { Question = "Ana has 3 apples and finds 5 more. How many apples does Ana have now?", Expression = "3 + 5", Answer = 8 },
                new SubProblem { Question = "Ben buys 4 boxes of 2 apples. How many apples does Ben have now?", Expression = "4 * 2", Answer = 8 },
            ],
            Combine = CombineOperation.Sum,
            Result = 16,
        });

    private static RewardContext Ctx(string[]? subs, double workerTokens = 0, bool parseFailed = false, TaskItem? item = null, string answer = "16")
    {
        var episode = new Episode(new Segment(Actor.Prompt, "plan this"), item ?? Item, Actor.Planner).Append(new Segment(Actor.Planner, "{...}"));
        if (subs is not null && !parseFailed)
            episode = episode.Append(new Segment(Actor.Worker, $"Combined: <answer>{answer}</answer>") { Metadata = PlannerNotes.Metadata(subs, subs.Select(_ => (string?)"8").ToArray()) });
        if (subs is not null || parseFailed)
            episode = episode.AddStats(new Dictionary<string, double>
            {
                ["parse_failed"] = parseFailed ? 1 : 0,
                ["decomposed"] = subs is { Length: > 0 } ? 1 : 0,
                ["subproblems"] = subs?.Length ?? 0,
                ["worker_tokens"] = workerTokens,
            });
        return new RewardContext(episode.Finish(EpisodeEnd.Terminal), Task, 256, AnswerSource.Environment);
    }

    private static double Score(string reward, RewardContext ctx) => RewardRegistry.Default.Create(reward).Score(ctx);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(300, 0.7)]
    [InlineData(1000, 0.0)]
    [InlineData(2500, 0.0)]
    public void Worker_efficiency_is_one_minus_the_capped_token_share(double tokens, double expected)
        => Assert.Equal(expected, Score("worker_efficiency", Ctx(["a b", "a c"], tokens)), 12);

    [Fact]
    public void A_plan_that_never_reached_the_worker_earns_no_efficiency_independence_or_coverage_and_minus_one_for_parsing()
    {
        foreach (var ctx in new[] { Ctx(null, parseFailed: true), Ctx(null) }) // a parse failure, and a plan the budget cut off (no stats at all)
        {
            Assert.Equal((0.0, 0.0, 0.0, -1.0), (Score("worker_efficiency", ctx), Score("independence", ctx), Score("coverage", ctx), Score("plan_parse", ctx)));
            Assert.Equal(0.0, Score("correctness", ctx));
        }
        Assert.Equal(0.0, Score("plan_parse", Ctx([])));
    }

    [Fact]
    public void Independence_is_one_minus_the_mean_pairwise_tfidf_cosine()
    {
        // "a b" vs "a c" over two texts: idf(a) = ln(3/3) + 1 = 1, idf(b) = idf(c) = ln(3/2) + 1 = 1.405465;
        // cosine = 1 / (1 + 1.405465²) = 0.336097, so independence = 0.663903.
        Assert.Equal(0.663903, Score("independence", Ctx(["a b", "a c"])), 6);
        // Three texts "a b", "a c", "d": idf(a) = ln(4/3) + 1 = 1.287682, idf(b, c, d) = ln(2) + 1 = 1.693147;
        // cos(1,2) = 1.287682² / (1.287682² + 1.693147²) = 0.366447, the other pairs share no word: mean 0.122149.
        Assert.Equal(0.877851, Score("independence", Ctx(["a b", "A, c!", "d"])), 6);
        Assert.Equal(0.0, Score("independence", Ctx(["What is 3 + 5?", "what is 3 + 5"])), 12);
        Assert.Equal(1.0, Score("independence", Ctx(["apples", "pears"])), 12);
    }

    [Fact]
    public void Independence_is_one_half_for_a_direct_solve_or_a_single_sub_problem()
    {
        Assert.Equal(0.5, Score("independence", Ctx([])));
        Assert.Equal(0.5, Score("independence", Ctx(["only one"])));
    }

    [Fact]
    public void The_seed_weights_add_up_as_computed_by_hand()
    {
        // Correct, decomposed, 300 worker tokens, independence 0.663903: 1 + 0.2 · 0.7 + 0.3 · 0.663903 + 0.1 · 0 = 1.339171.
        var weights = new Dictionary<string, double> { ["correctness"] = 1.0, ["worker_efficiency"] = 0.2, ["independence"] = 0.3, ["plan_parse"] = 0.1 };
        Assert.Equal(1.339171, WeightedRewards.FromWeights(weights).Score(Ctx(["a b", "a c"], 300)).Total, 6);
        // A parse failure: 0.1 · −1.
        Assert.Equal(-0.1, WeightedRewards.FromWeights(weights).Score(Ctx(null, parseFailed: true)).Total, 12);
    }

    [Theory]
    [InlineData(new[] { "ana has 3 apples and finds 5 more.   How many apples does Ana have now?", "What is 4*2?" }, 1.0)]
    [InlineData(new[] { "What is 4 * 2?", "What is 3+5?" }, 1.0)]
    [InlineData(new[] { "What is 3 + 5?", "What is 3 + 5?" }, 0.5)]
    [InlineData(new[] { "What is 3 + 5 and 4 * 2?" }, 0.5)]
    [InlineData(new[] { "What is 13 + 55?", "What is 4 * 21?" }, 0.0)]
    [InlineData(new[] { "How many apples?", "Who is Ben?" }, 0.0)]
    [InlineData(new string[0], 0.0)]
    public void Coverage_is_the_share_of_gold_sub_problems_some_sub_question_states(string[] subs, double expected)
        => Assert.Equal(expected, Score("coverage", Ctx(subs)), 12);

    [Fact]
    public void Coverage_of_an_item_that_should_not_be_split_pays_the_direct_solve_and_nothing_without_gold()
    {
        var chain = TaskRegistry.Default.Get("chain_sum");
        var twoTerms = chain.Generate(chain.Levels[0], Split.Test, 0, 0);
        Assert.Equal(1.0, Score("coverage", Ctx([], item: twoTerms)));
        Assert.Equal(0.0, Score("coverage", Ctx(["What is 1?", "What is 2?"], item: twoTerms)));
        var basic = TaskRegistry.Default.Get("basic_arithmetic");
        Assert.Equal(0.0, Score("coverage", Ctx([], item: basic.Generate(basic.DefaultConfig, Split.Test, 0, 0))));
    }

    [Fact]
    public void Coverage_counts_a_subtraction_as_no_negative_gold_part()
    {
        var item = Item with { Metadata = new ChainSumMetadata { Expression = "3 + 5 - 2 + 7", NumTerms = 4, NumDigits = 1, Result = 13 } };
        Assert.Equal(["3 + 5", "-2 + 7"], GoldDecomposition.Of(item)!.Subproblems.Select(s => s.Expression));
        Assert.Equal(0.5, Score("coverage", Ctx(["What is 3 + 5 - 2 + 7?"], item: item)));
        Assert.Equal(1.0, Score("coverage", Ctx(["What is 3 + 5?", "What is -2 + 7?"], item: item)));
    }
}
