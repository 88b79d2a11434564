using System.Text.Json.Nodes;
using HierReason.Core.Expressions;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class BasicArithmeticTests
{
    private readonly BasicArithmeticTask _task = new();

    private BasicArithmeticConfig Config(JsonObject overrides) => (BasicArithmeticConfig)_task.ParseConfig(overrides);

    private static ParsedExpression Parse(TaskItem item)
    {
        var parsed = ArithmeticExpression.TryParse(((BasicArithmeticMetadata)item.Metadata).Expression);
        Assert.NotNull(parsed);
        return parsed;
    }

    [Fact]
    public void Result_is_the_exact_integer_value_and_the_trace_has_one_line_per_operation()
    {
        var sawDivision = false;
        var sawParentheses = false;
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 500))
        {
            var meta = (BasicArithmeticMetadata)item.Metadata;
            Assert.Equal($"Calculate {meta.Expression}.", item.Question);
            var parsed = Parse(item);
            Assert.True(parsed.Value.EqualsInteger(meta.Result), $"{meta.Expression} = {parsed.Value}, not {meta.Result}");
            Assert.Equal(meta.NumTerms, parsed.Literals.Count);
            var steps = ArithmeticTraceAssert.Steps(item.Solution, item.Answer);
            Assert.Equal(meta.NumTerms - 1, steps.Count);
            Assert.Equal(meta.Result, steps[^1]);
            sawDivision |= meta.Expression.Contains('/');
            sawParentheses |= meta.Expression.Contains('(');
        }
        Assert.True(sawDivision);
        Assert.True(sawParentheses);
    }

    [Fact]
    public void The_trace_follows_precedence_multiplication_first()
    {
        // A hand-checked item shape: "5 + 3 * 4" must be worked as 3 * 4 then 5 + 12.
        var item = TaskDataset.Create(_task, Split.Train, 4, 2000, level: 1)
            .First(i => ((BasicArithmeticMetadata)i.Metadata).Expression is var e && e.Split(' ') is [_, "+", _, "*", _]);
        var parts = ((BasicArithmeticMetadata)item.Metadata).Expression.Split(' ');
        long a = long.Parse(parts[0]), b = long.Parse(parts[2]), c = long.Parse(parts[4]);
        Assert.Equal($"{b} * {c} = {b * c}\n{a} + {b * c} = {a + b * c}\n<answer>{a + b * c}</answer>", item.Solution);
        Assert.Equal((a + b * c).ToString(), item.Answer);
    }

    [Fact]
    public void Every_division_is_exact()
    {
        var config = Config(new JsonObject { ["operators"] = "/", ["min_terms"] = 3, ["max_terms"] = 5 });
        foreach (var item in TaskDataset.Create(_task, Split.Train, 1, 300, config))
        {
            Assert.All(ArithmeticTraceAssert.Operators(Parse(item).Root), op => Assert.Equal('/', op));
            ArithmeticTraceAssert.Steps(item.Solution, item.Answer);
            Assert.Equal(1.0, _task.Score(item.Answer, item));
        }
    }

    [Fact]
    public void Level_zero_is_two_single_digits_with_plus_or_minus_and_nothing_else()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 1, 100, level: 0))
        {
            var parsed = Parse(item);
            Assert.Equal(2, parsed.Literals.Count);
            Assert.All(parsed.Literals, n => Assert.InRange(n, 0, 9));
            Assert.All(ArithmeticTraceAssert.Operators(parsed.Root), op => Assert.Contains(op, "+-"));
            Assert.DoesNotContain('(', item.Question);
            Assert.False(ArithmeticTraceAssert.HasNegation(parsed.Root));
        }
    }

    [Fact]
    public void Parentheses_and_negation_appear_only_when_allowed()
    {
        var plain = Config(new JsonObject { ["allow_parentheses"] = false, ["allow_negation"] = false });
        foreach (var item in TaskDataset.Create(_task, Split.Test, 1, 300, plain))
        {
            Assert.DoesNotContain('(', item.Question);
            Assert.False(ArithmeticTraceAssert.HasNegation(Parse(item).Root));
        }
        var negatives = TaskDataset.Create(_task, Split.Test, 1, 300).Count(i => ArithmeticTraceAssert.HasNegation(Parse(i).Root));
        Assert.InRange(negatives, 50, 300);
    }

    [Fact]
    public void Wrong_number_scores_zero_even_when_it_shares_digits()
    {
        var item = TaskDataset.Create(_task, Split.Test, 0, 100).First(i => i.Answer.TrimStart('-').Length >= 3);
        var gold = item.Answer;
        Assert.Equal(1.0, _task.Score(gold + ".0", item));
        Assert.Equal(0.0, _task.Score(gold + "0", item));
        Assert.Equal(0.0, _task.Score(gold[..^1], item));
        Assert.Equal(0.0, _task.Score(gold.StartsWith('-') ? gold[1..] : "-" + gold, item));
        Assert.Equal(0.0, _task.Score(((BasicArithmeticMetadata)item.Metadata).Expression, item));
    }

    [Fact]
    public void A_config_whose_products_always_overflow_is_a_user_error()
    {
        var config = Config(new JsonObject { ["operators"] = "*", ["min_terms"] = 20, ["max_terms"] = 20, ["min_digits"] = 6, ["max_digits"] = 6 });
        var e = Assert.Throws<HierReasonException>(() => TaskDataset.Create(_task, Split.Train, 0, 1, config)[0]);
        Assert.Contains("max_digits", e.Message);
    }

    [Theory]
    [InlineData("+%")]
    [InlineData("")]
    [InlineData("++")]
    [InlineData("x")]
    public void Operators_outside_the_four_are_rejected_by_path(string operators)
    {
        var e = Assert.Throws<ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["operators"] = operators }, "tasks/basic_arithmetic.json", "$.config"));
        Assert.Equal("$.config.operators", e.JsonPath);
        Assert.Contains("+-*/", e.Message);
    }

    [Fact]
    public void Config_out_of_range_names_the_field()
    {
        var e = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["min_terms"] = 5, ["max_terms"] = 3 }));
        Assert.Equal("$.min_terms", e.JsonPath);
        var digits = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["max_digits"] = 0 }));
        Assert.Equal("$.max_digits", digits.JsonPath);
    }
}
