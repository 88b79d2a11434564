using System.Text.Json.Nodes;
using HierReason.Core.Expressions;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class ChainSumTests
{
    private readonly ChainSumTask _task = new();

    private static TaskItem Item(string expression, long result) => new(
        "chain_sum/test/0/0", "chain_sum", $"State the final answer to the following arithmetic problem: {expression} =",
        result.ToString(), new ChainSumMetadata { Expression = expression, NumTerms = 3, NumDigits = 1, Result = result });

    [Fact]
    public void Result_is_the_value_of_the_chain_and_the_trace_keeps_a_running_total()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 300))
        {
            var meta = (ChainSumMetadata)item.Metadata;
            Assert.Equal($"State the final answer to the following arithmetic problem: {meta.Expression} =", item.Question);
            Assert.True(ArithmeticExpression.TryEvaluate(meta.Expression, out var v));
            Assert.True(v.EqualsInteger(meta.Result));
            Assert.Equal(meta.Result.ToString(), item.Answer);
            var steps = ArithmeticTraceAssert.Steps(item.Solution, item.Answer);
            Assert.Equal(meta.NumTerms - 1, steps.Count);
            Assert.Equal(meta.Result, steps[^1]);
            Assert.InRange(meta.NumTerms, 2, 6);
        }
    }

    [Fact]
    public void A_hand_checked_chain_scores_its_value_in_any_format()
    {
        var item = Item("4 + 3 - 2", 5);
        Assert.Equal(1.0, _task.Score("5", item));
        Assert.Equal(1.0, _task.Score(" +5 ", item));
        Assert.Equal(1.0, _task.Score("5.0", item));
        Assert.Equal(0.0, _task.Score("9", item));
        Assert.Equal(0.0, _task.Score("4 + 3 - 2", item));
    }

    [Fact]
    public void Wrong_number_scores_zero_even_when_it_shares_digits()
    {
        var item = Item("1000 + 234 - 0", 1234);
        Assert.Equal(1.0, _task.Score("1,234", item));
        foreach (var wrong in new[] { "4321", "12340", "123", "-1234", "1234.5", "1324" })
            Assert.Equal(0.0, _task.Score(wrong, item));
    }

    [Fact]
    public void Level_zero_adds_or_subtracts_two_single_digits()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 1, 100, level: 0))
        {
            var meta = (ChainSumMetadata)item.Metadata;
            Assert.Equal(2, meta.NumTerms);
            Assert.Matches(@"^\d [+-] \d$", meta.Expression);
            Assert.Single(item.Solution.Split('\n')[..^1]);
        }
    }

    [Fact]
    public void Negation_writes_negative_terms_with_a_minus_sign()
    {
        var config = (ChainSumConfig)_task.ParseConfig(new JsonObject { ["allow_negation"] = true });
        var negatives = 0;
        foreach (var item in TaskDataset.Create(_task, Split.Train, 2, 300, config))
        {
            var meta = (ChainSumMetadata)item.Metadata;
            if (ArithmeticTraceAssert.HasNegation(ArithmeticExpression.TryParse(meta.Expression)!.Root)) negatives++;
            Assert.True(ArithmeticExpression.TryEvaluate(meta.Expression, out var v) && v.EqualsInteger(meta.Result));
            Assert.Equal(1.0, _task.Score(item.Answer, item));
        }
        Assert.InRange(negatives, 150, 300);
    }

    [Fact]
    public void Without_negation_no_term_is_negative()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Test, 2, 300))
        {
            var parsed = ArithmeticExpression.TryParse(((ChainSumMetadata)item.Metadata).Expression);
            Assert.NotNull(parsed);
            Assert.False(ArithmeticTraceAssert.HasNegation(parsed.Root), item.Question);
        }
    }

    [Fact]
    public void The_largest_config_fits_its_text_and_scores_its_gold()
    {
        var config = (ChainSumConfig)_task.ParseConfig(new JsonObject
        {
            ["min_terms"] = ChainSumTask.MostTerms,
            ["max_terms"] = ChainSumTask.MostTerms,
            ["min_digits"] = ChainSumTask.MostDigits,
            ["max_digits"] = ChainSumTask.MostDigits,
            ["allow_negation"] = true,
        });
        foreach (var item in TaskDataset.Create(_task, Split.Validation, 3, 50, config))
        {
            var steps = ArithmeticTraceAssert.Steps(item.Solution, item.Answer);
            Assert.Equal(ChainSumTask.MostTerms - 1, steps.Count);
            Assert.Equal(1.0, _task.Score(item.Answer, item));
        }
    }

    [Fact]
    public void Config_out_of_range_names_the_field()
    {
        var e = Assert.Throws<ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["min_terms"] = 1 }, "tasks/chain_sum.json", "$.config"));
        Assert.Equal("$.config.min_terms", e.JsonPath);
        Assert.Contains("tasks/chain_sum.json", e.Message);
        var unordered = Assert.Throws<ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["min_digits"] = 3, ["max_digits"] = 2 }));
        Assert.Equal("$.min_digits", unordered.JsonPath);
        var tooMany = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["max_digits"] = 40 }));
        Assert.Equal("$.max_digits", tooMany.JsonPath);
    }
}
