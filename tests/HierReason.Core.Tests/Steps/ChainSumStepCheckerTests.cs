using System.Text.RegularExpressions;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

public partial class ChainSumStepCheckerTests
{
    [GeneratedRegex(@"^(-?\d+) ([+-]) (-?\d+) = (-?\d+)$")]
    private static partial Regex StepLine();

    [Fact]
    public void Gold_traces_of_every_level_have_one_correct_step_per_addition_and_no_error()
    {
        foreach (var (level, item) in StepTestItems.EveryLevel("chain_sum"))
        {
            var j = StepTestItems.Judge(item, item.Solution);
            Assert.True(j.FirstError is null, $"{item.Id} (level {level}): error at line {j.FirstError}\n{item.Solution}");
            Assert.Equal(((ChainSumMetadata)item.Metadata).NumTerms - 1, j.Count(StepVerdict.Correct));
            Assert.Equal(StepVerdict.Neutral, j.Verdicts[^1]); // the answer line
        }
    }

    [Fact]
    public void Changing_one_number_of_one_step_is_an_error_exactly_there()
    {
        foreach (var (_, item) in StepTestItems.EveryLevel("chain_sum"))
        {
            var gold = StepLines.Split(item.Solution);
            var steps = gold.Length - 1;
            var line = StepTestItems.Pick(item, steps);
            var m = StepLine().Match(gold[line]);
            Assert.True(m.Success, gold[line]);
            // Which number changes (left operand, term, result) also varies per item.
            var group = new[] { 1, 3, 4 }[StepTestItems.Pick(item, 3, salt: 1)];
            var bumped = (long.Parse(m.Groups[group].Value) + 1).ToString();
            var corrupted = (string[])gold.Clone();
            corrupted[line] = gold[line][..m.Groups[group].Index] + bumped + gold[line][(m.Groups[group].Index + m.Groups[group].Length)..];
            var j = StepTestItems.AssertFirstErrorAt(item, gold, corrupted, line);
            // Each step is judged against the truth, so the gold steps after it stay correct.
            Assert.Equal(steps - 1, j.Count(StepVerdict.Correct));
        }
    }

    private static TaskItem Item(string expression, long result) => new("chain_sum/hand", "chain_sum", "q", result.ToString(), new ChainSumMetadata
    {
        Expression = expression,
        NumTerms = expression.Split(' ').Length / 2 + 1,
        NumDigits = 1,
        Result = result,
    });

    [Fact]
    public void Hand_written_steps_get_the_expected_verdicts()
    {
        var item = Item("3 + 5 - -2 + -4", 6);
        var j = StepTestItems.Judge(item, string.Join('\n',
            "Let me add them up.",       // prose
            "  3+5 =8  ",                // whitespace does not matter
            "8 + 2 = 10",                // "- -2" written as "+ 2": the same step
            "10 - 4 = 7",                // wrong total
            "",
            "<answer>6</answer>"));
        Assert.Equal([StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Neutral, StepVerdict.Neutral], j.Verdicts);
        Assert.Equal(3, j.FirstError);
    }

    [Fact]
    public void A_step_that_carries_an_earlier_mistake_forward_is_incorrect_too()
    {
        var j = StepTestItems.Judge(Item("3 + 5 - -2", 10), "3 + 5 = 9\n9 - -2 = 11");
        Assert.Equal([StepVerdict.Incorrect, StepVerdict.Incorrect], j.Verdicts);
        Assert.Equal(0, j.FirstError);
    }

    [Fact]
    public void A_step_past_the_last_term_or_with_the_wrong_term_is_incorrect()
    {
        var j = StepTestItems.Judge(Item("3 + 5", 8), "3 - 5 = -2\n3 + 5 = 8\n8 + 0 = 8");
        // "3 - 5" is the first step with the wrong term; then the second line is step 2 of a one-addition chain.
        Assert.Equal([StepVerdict.Incorrect, StepVerdict.Incorrect, StepVerdict.Incorrect], j.Verdicts);
    }

    [Fact]
    public void Equations_of_another_shape_and_answer_lines_are_neutral()
    {
        var j = StepTestItems.Judge(Item("3 + 5 - 1", 7), "3 + 5 - 1 = 7\n3 * 5 = 15\n<answer>3 + 5 = 8</answer>\n3 + 5 = 8");
        Assert.Equal([StepVerdict.Neutral, StepVerdict.Neutral, StepVerdict.Neutral, StepVerdict.Correct], j.Verdicts);
    }

    [Fact]
    public void Unreadable_or_overflowing_numbers_in_a_step_are_incorrect()
    {
        var j = StepTestItems.Judge(Item("3 + 5", 8), "3 + 5 = 1e999\n3 + 99999999999999999999 = 8\n3 + 5 = 8.5\n3 + 5 = eight");
        Assert.Equal([StepVerdict.Incorrect, StepVerdict.Incorrect, StepVerdict.Incorrect, StepVerdict.Incorrect], j.Verdicts);
    }

    [Fact]
    public void A_result_is_read_like_an_answer_whatever_its_formatting()
    {
        foreach (var result in new[] { "1000", "1,000", "1000.0", "1e3", "+1000", "1000.", "1000 (carry the one)" })
        {
            var j = StepTestItems.Judge(Item("999 + 1", 1000), "999 + 1 = " + result);
            Assert.True(j.Verdicts[0] == StepVerdict.Correct, result);
        }
    }

    [Fact]
    public void Malformed_metadata_is_a_user_error_naming_the_item_and_field()
    {
        var e = Assert.Throws<HierReasonException>(() => StepTestItems.Judge(Item("3 plus 5", 8), "3 + 5 = 8"));
        Assert.Contains("chain_sum/hand", e.Message);
        Assert.Contains("metadata.expression", e.Message);
    }
}
