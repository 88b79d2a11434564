using System.Text.Json.Nodes;
using HierReason.Core.Expressions;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class CountdownTests
{
    private readonly CountdownTask _task = new();

    private static TaskItem Item(long target, params long[] numbers) => new(
        "countdown/test/0/0", "countdown", $"Calculate {target} using all of these numbers: {string.Join(", ", numbers)}.",
        "", new CountdownMetadata { Numbers = numbers, Target = target, Expression = "" });

    [Fact]
    public void The_gold_expression_uses_every_number_once_and_reaches_the_target()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 300))
        {
            var meta = (CountdownMetadata)item.Metadata;
            var parsed = ArithmeticExpression.TryParse(item.Answer);
            Assert.NotNull(parsed);
            Assert.True(parsed.Value.EqualsInteger(meta.Target));
            Assert.Equal(meta.Numbers.Order(), parsed.Literals.Order());
            Assert.InRange(meta.Numbers.Count, 4, 6);
            Assert.All(meta.Numbers, n => Assert.InRange(n, 1, 100));
            Assert.InRange(meta.Target, 100, 999);
            Assert.StartsWith($"Calculate {meta.Target} using all of these numbers: {string.Join(", ", meta.Numbers)}.", item.Question);
            var steps = ArithmeticTraceAssert.Steps(item.Solution, item.Answer);
            Assert.Equal(meta.Numbers.Count - 1, steps.Count);
            Assert.Equal(meta.Target, steps[^1]);
        }
    }

    [Fact]
    public void A_different_correct_expression_scores_one()
    {
        var item = Item(104, 25, 4, 7, 3);
        Assert.Equal(1.0, _task.Score("25*4+7-3", item));
        Assert.Equal(1.0, _task.Score("4 * 25 - 3 + 7", item));
        Assert.Equal(1.0, _task.Score("(7 - 3) + 4 × 25", item));
        Assert.Equal(1.0, _task.Score("25x4+7-3 = 104", item));
    }

    [Fact]
    public void Reusing_or_omitting_a_number_scores_zero_even_at_the_target()
    {
        var item = Item(104, 25, 4, 7, 3, 1);
        Assert.Equal(1.0, _task.Score("25*4+7-3*1", item));
        Assert.Equal(0.0, _task.Score("25*4+7-3", item));         // omits 1
        Assert.Equal(0.0, _task.Score("25*4+7-3+1-1", item));     // uses 1 twice
        Assert.Equal(0.0, _task.Score("25*4+4*1", item));         // uses 4 twice, omits 7 and 3
        Assert.Equal(0.0, _task.Score("26*4*1+7-7", item));       // a number that was not given
        Assert.Equal(0.0, _task.Score("104", item));
    }

    [Fact]
    public void The_wrong_value_scores_zero()
    {
        var item = Item(104, 25, 4, 7, 3);
        Assert.Equal(0.0, _task.Score("25*4+7+3", item));
        Assert.Equal(0.0, _task.Score("25*4-7-3", item));
        Assert.Equal(0.0, _task.Score("25*4+7-3 = 110", item));
        Assert.Equal(0.0, _task.Score("25*4+7+3 = 104", item));
    }

    [Fact]
    public void Exact_fractions_along_the_way_are_allowed_and_text_is_never_executed()
    {
        var item = Item(8, 4, 3, 6);
        Assert.Equal(1.0, _task.Score("4/3*6", item));
        Assert.Equal(0.0, _task.Score("4/(3-3)*6", item));
        Assert.Equal(0.0, _task.Score("__import__('os').system('true') or 4/3*6", item));
        Assert.Equal(0.0, _task.Score("4 3 6", item));
    }

    [Fact]
    public void Level_zero_uses_three_small_numbers_and_a_small_target()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 1, 100, level: 0))
        {
            var meta = (CountdownMetadata)item.Metadata;
            Assert.Equal(3, meta.Numbers.Count);
            Assert.All(meta.Numbers, n => Assert.InRange(n, 1, 10));
            Assert.InRange(meta.Target, 10, 50);
        }
    }

    [Fact]
    public void A_config_that_cannot_reach_its_targets_is_a_user_error()
    {
        var config = (CountdownConfig)_task.ParseConfig(new JsonObject
        {
            ["min_numbers"] = 2,
            ["max_numbers"] = 2,
            ["min_value"] = 1,
            ["max_value"] = 1,
            ["min_target"] = 100,
            ["max_target"] = 200,
        });
        var e = Assert.Throws<HierReasonException>(() => TaskDataset.Create(_task, Split.Train, 0, 1, config)[0]);
        Assert.Contains("target", e.Message);
    }

    [Fact]
    public void Config_out_of_range_names_the_field()
    {
        var e = Assert.Throws<ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["min_target"] = 500, ["max_target"] = 100 }, "tasks/countdown.json", "$.config"));
        Assert.Equal("$.config.min_target", e.JsonPath);
        var ops = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["operators"] = "^" }));
        Assert.Equal("$.operators", ops.JsonPath);
        var one = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["min_numbers"] = 1 }));
        Assert.Equal("$.min_numbers", one.JsonPath);
    }
}
