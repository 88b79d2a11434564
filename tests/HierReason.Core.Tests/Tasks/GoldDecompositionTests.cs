using System.Text.Json;
using HierReason.Core.Expressions;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

/// <summary>The gold sub-problems the planner/worker strategy reads from metadata, and the sub-problem view of multi_step_arithmetic.</summary>
public class GoldDecompositionTests
{
    private static IEnumerable<TaskItem> Items(string task) =>
        TaskRegistry.Default.Get(task).Levels.SelectMany((config, level) =>
            Enumerable.Range(0, 50).Select(i => TaskRegistry.Default.Get(task).Generate(config, Split.Test, 7, i, level)));

    [Theory]
    [InlineData("multi_step_arithmetic")]
    [InlineData("leg_counting")]
    [InlineData("chain_sum")]
    public void Every_gold_sub_problem_is_right_and_their_combine_is_the_items_answer(string task)
    {
        foreach (var item in Items(task))
        {
            var gold = GoldDecomposition.Of(item)!;
            Assert.Equal(item.Answer, gold.Combine.Apply(gold.Subproblems.Select(s => s.Answer).ToArray())!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var sub in gold.Subproblems)
            {
                Assert.True(ArithmeticExpression.TryEvaluate(sub.Expression, out var value), sub.Expression);
                Assert.True(value.EqualsInteger(sub.Answer), $"{item.Id}: {sub.Expression} ≠ {sub.Answer}");
            }
        }
    }

    [Fact]
    public void Leg_counting_splits_by_animal_and_chain_sum_into_signed_chunks_of_at_most_three_terms()
    {
        var legs = new LegCountingMetadata { Counts = [new("cat", 3, 4), new("spider", 1, 8)], TotalLegs = 20 }.Decompose();
        Assert.Equal(["How many legs do 3 cats have?", "How many legs does 1 spider have?"], legs.Subproblems.Select(s => s.Question));
        Assert.Equal([12L, 8L], legs.Subproblems.Select(s => s.Answer));

        var chain = new ChainSumMetadata { Expression = "12 - 5 + -3 - -4 + 6", NumTerms = 5, NumDigits = 2, Result = 14 }.Decompose();
        Assert.Equal(["State the final answer to the following arithmetic problem: 12 - 5 + -3 =", "State the final answer to the following arithmetic problem: 4 + 6 ="],
            chain.Subproblems.Select(s => s.Question));
        Assert.Equal([4L, 10L], chain.Subproblems.Select(s => s.Answer));
        Assert.False(new ChainSumMetadata { Expression = "1 + 2 - 3", NumTerms = 3, NumDigits = 1, Result = 0 }.Decompose().Splits);
    }

    [Fact]
    public void The_decomposition_never_enters_the_items_json()
        => Assert.DoesNotContain("decompose", JsonSerializer.Serialize(Items("leg_counting").First(), HierJson.Options), StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData(CombineOperation.Sum, new long[] { 3, 4, 5 }, 12L, "3 + 4 + 5 = 12")]
    [InlineData(CombineOperation.Difference, new long[] { 4, 9 }, 5L, "9 - 4 = 5")]
    [InlineData(CombineOperation.Product, new long[] { 4, 9 }, 36L, "4 * 9 = 36")]
    public void Combine_operations_apply_and_write_their_line(CombineOperation operation, long[] answers, long expected, string line)
    {
        Assert.Equal(expected, operation.Apply(answers));
        Assert.Equal(line, operation.Line(answers, expected));
    }

    [Fact]
    public void A_combine_that_does_not_fit_its_answers_has_no_value()
    {
        Assert.Null(CombineOperation.Difference.Apply([1, 2, 3]));
        Assert.Null(CombineOperation.Product.Apply([7]));
        Assert.Null(CombineOperation.Sum.Apply([]));
        Assert.Null(CombineOperation.Sum.Apply([long.MaxValue, 1]));
    }

    [Fact]
    public void The_sub_problem_view_makes_each_gold_sub_problem_an_item_its_task_scores()
    {
        var task = TaskRegistry.Default.Get("multi_step_arithmetic");
        foreach (var item in Items("multi_step_arithmetic"))
        {
            var subs = SubProblemView.Items(item);
            var gold = GoldDecomposition.Of(item)!.Subproblems;
            Assert.Equal(gold.Count, subs.Count);
            for (var i = 0; i < subs.Count; i++)
            {
                Assert.Equal(($"{item.Id}/sub{i + 1}", gold[i].Question, item.Task, item.Metadata.Level), (subs[i].Id, subs[i].Question, subs[i].Task, subs[i].Metadata.Level));
                Assert.Equal(1.0, task.Score(subs[i].Answer, subs[i]));
                Assert.Equal(0.0, task.Score(item.Answer == subs[i].Answer ? "-1" : item.Answer, subs[i]));
                Assert.Equal(subs[i].Answer, HierReason.Core.Answers.AnswerExtractor.Extract(subs[i].Solution));
            }
        }
    }

    [Theory]
    [InlineData("3 + 4 * 5", "4 * 5 = 20, 3 + 20 = 23")]
    [InlineData("6 * 2 - 5", "6 * 2 = 12, 12 - 5 = 7")]
    [InlineData("9 - 4 + 2", "9 - 4 = 5, 5 + 2 = 7")]
    [InlineData("12 / 4", "12 / 4 = 3")]
    public void Sub_problem_traces_work_one_operation_at_a_time_in_precedence(string expression, string steps)
        => Assert.Equal(steps, SubProblemView.Steps(expression));

    [Fact]
    public void A_sub_problem_trace_line_is_the_step_part_of_the_whole_items_trace()
    {
        var item = Items("multi_step_arithmetic").First();
        foreach (var sub in SubProblemView.Items(item))
            Assert.Contains(": " + sub.Solution.Split('\n')[0] + "\n", item.Solution, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_multi_step_arithmetic_has_a_sub_problem_view()
        => Assert.Throws<ArgumentException>(() => SubProblemView.Items(Items("chain_sum").First()));
}
