using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class ColumnAdditionTests
{
    [Theory]
    [InlineData(47, 38, "47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85")]
    [InlineData(61, 63, "61 + 63: 1 + 3 = 4, 6 + 6 = 12, 0 + 0 + 1 = 1, so 124")]
    [InlineData(7, 9, "7 + 9: 7 + 9 = 16, 0 + 0 + 1 = 1, so 16")]
    [InlineData(0, 0, "0 + 0: 0 + 0 = 0, so 0")]
    [InlineData(905, 95, "905 + 95: 5 + 5 = 10, 0 + 9 + 1 = 10, 9 + 0 + 1 = 10, 0 + 0 + 1 = 1, so 1000")]
    public void One_fact_per_column_with_the_carry_added_into_the_next(long a, long b, string line)
        => Assert.Equal(line, ColumnAddition.Line(a, b));

    [Theory]
    [InlineData("47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85", true, true)]
    [InlineData("47 + 38: 7 + 8 = 14, 4 + 3 + 1 = 8, so 85", true, false)]
    [InlineData("47 + 38 = 85", false, false)]
    [InlineData("47 + 38: so", false, false)]
    [InlineData("", false, false)]
    public void A_column_line_reads_back_with_whether_its_facts_hold(string line, bool read, bool hold)
    {
        Assert.Equal(read, ColumnAddition.TryRead(line, out var a, out var b, out var sum, out var factsHold));
        Assert.Equal(hold, factsHold);
        if (read) Assert.Equal((47L, 38L, 85L), (a, b, sum));
    }

    [Fact]
    public void The_chain_sum_step_checker_judges_column_lines_as_steps()
    {
        var task = TaskRegistry.Default.Get("chain_sum");
        var config = new ChainSumConfig { MinTerms = 3, MaxTerms = 3, MinDigits = 2, MaxDigits = 2, AllowSubtraction = false, ColumnSteps = true };
        var checker = HierReason.Core.Steps.StepCheckerRegistry.Default.Get("chain_sum");
        foreach (var item in TaskDataset.Create(task, Split.Train, 0, 100, config))
        {
            var lines = item.Solution.Split('\n');
            var gold = checker.Judge(item, lines);
            Assert.Null(gold.FirstError);
            Assert.Equal(2, gold.Verdicts.Count(v => v == HierReason.Core.Steps.StepVerdict.Correct));
            // A wrong column fact in the second line makes that line the first error.
            var broken = (string[])lines.Clone();
            broken[1] = broken[1].Replace(" = ", " = 1", StringComparison.Ordinal);
            Assert.Equal(1, checker.Judge(item, broken).FirstError);
        }
    }

    [Fact]
    public void Negative_numbers_are_a_bug_of_the_caller() => Assert.Throws<ArgumentOutOfRangeException>(() => ColumnAddition.Line(-1, 2));

    [Fact]
    public void Chain_sum_with_column_steps_writes_one_column_line_per_addition_and_needs_additions_only()
    {
        var task = TaskRegistry.Default.Get("chain_sum");
        var config = new ChainSumConfig { MinTerms = 3, MaxTerms = 3, MinDigits = 2, MaxDigits = 2, AllowSubtraction = false, ColumnSteps = true };
        foreach (var item in TaskDataset.Create(task, Split.Train, 0, 200, config))
        {
            var lines = item.Solution.Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.Contains(": ", lines[0]);
            Assert.Equal(1.0, task.Score(item.Answer, item));
            Assert.DoesNotContain(" - ", item.Question);
            Assert.EndsWith($", so {item.Answer}", lines[1]);
        }
        var e = Assert.Throws<ConfigException>(() => new ChainSumConfig { ColumnSteps = true }.Validate());
        Assert.Contains("column_steps", e.Message);
    }

    [Fact]
    public void The_default_chain_sum_items_are_unchanged_by_the_new_options()
    {
        // The first items of the default config, as committed before the options existed (the approved snapshot depends on them).
        var task = TaskRegistry.Default.Get("chain_sum");
        var item = task.Generate(task.Levels[1], Split.Train, 0, 0);
        Assert.Equal("State the final answer to the following arithmetic problem: 0 + 3 + 1 =", item.Question);
    }
}
