using System.Text.RegularExpressions;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

public partial class MultiStepArithmeticStepCheckerTests
{
    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Number();

    [Fact]
    public void Gold_traces_of_every_level_have_every_sub_answer_and_the_combination_right()
    {
        foreach (var (level, item) in StepTestItems.EveryLevel("multi_step_arithmetic"))
        {
            var j = StepTestItems.Judge(item, item.Solution);
            Assert.True(j.FirstError is null, $"{item.Id} (level {level}): error at line {j.FirstError}\n{item.Solution}");
            Assert.Equal(((MultiStepArithmeticMetadata)item.Metadata).Subproblems.Count + 1, j.Count(StepVerdict.Correct));
            Assert.Equal(StepVerdict.Neutral, j.Verdicts[^1]);
        }
    }

    [Fact]
    public void Changing_one_number_of_one_step_is_an_error_exactly_there()
    {
        foreach (var (_, item) in StepTestItems.EveryLevel("multi_step_arithmetic"))
        {
            var gold = StepLines.Split(item.Solution);
            var line = StepTestItems.Pick(item, gold.Length - 1);
            var numbers = Number().Matches(gold[line]);
            // The first number (an operand: the equation no longer holds) or the last (the sub-answer or result).
            var n = StepTestItems.Pick(item, 2, salt: 1) == 0 ? numbers[0] : numbers[^1];
            var corrupted = (string[])gold.Clone();
            corrupted[line] = gold[line][..n.Index] + (long.Parse(n.Value) + 1) + gold[line][(n.Index + n.Length)..];
            var j = StepTestItems.AssertFirstErrorAt(item, gold, corrupted, line);
            Assert.Equal(gold.Length - 2, j.Count(StepVerdict.Correct));
        }
    }

    private static TaskItem Item(CombineOperation combine, long result, params (string Person, long Answer)[] parts)
        => new("multi_step_arithmetic/hand", "multi_step_arithmetic", "q", result.ToString(), new MultiStepArithmeticMetadata
        {
            Subproblems = parts.Select(p => new SubProblem
            {
                Question = $"{p.Person} has some pens. How many pens does {p.Person} have now?",
                Expression = "1 + 1",
                Answer = p.Answer,
            }).ToArray(),
            Combine = combine,
            Result = result,
        });

    [Fact]
    public void Hand_written_steps_get_the_expected_verdicts()
    {
        var item = Item(CombineOperation.Sum, 272, ("Omar", 196), ("Ana", 76));
        var j = StepTestItems.Judge(item, string.Join('\n',
            "First each person.",                 // prose
            "ana: 57 + 29 = 86, 86 - 10 = 76",    // out of order, any case: right
            "Omar: 7 * 28 = 195, 195 + 1 = 196",  // right sub-answer, but 7 * 28 is not 195
            "Omar: buys boxes",                   // a person but no equation
            "Total: 196 + 76 = 272",              // the combination, labelled
            "<answer>272</answer>"));
        Assert.Equal(
            [StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Neutral],
            j.Verdicts);
        Assert.Equal(2, j.FirstError);
    }

    [Fact]
    public void A_wrong_sub_answer_carried_into_the_combination_makes_both_incorrect()
    {
        var item = Item(CombineOperation.Sum, 280, ("Omar", 196), ("Ana", 84));
        var j = StepTestItems.Judge(item, "Omar: 7 * 28 = 196\nAna: 7 * 12 = 85\n196 + 85 = 281");
        Assert.Equal([StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Incorrect], j.Verdicts);
        // Right operands and right total, but the arithmetic written does not hold.
        Assert.Equal([StepVerdict.Incorrect], StepTestItems.Judge(item, "196 + 84 = 280 + 1").Verdicts);
    }

    [Fact]
    public void A_difference_must_take_the_smaller_from_the_larger()
    {
        var item = Item(CombineOperation.Difference, 18, ("Finn", 30), ("Mia", 12));
        Assert.Equal([StepVerdict.Correct], StepTestItems.Judge(item, "30 - 12 = 18").Verdicts);
        Assert.Equal([StepVerdict.Incorrect], StepTestItems.Judge(item, "12 - 30 = -18").Verdicts);
        Assert.Equal([StepVerdict.Incorrect], StepTestItems.Judge(item, "30 - 11 = 19").Verdicts);
    }

    [Fact]
    public void Divisions_must_be_exact_and_products_may_come_in_either_order()
    {
        var item = Item(CombineOperation.Product, 216, ("Finn", 36), ("Mia", 6));
        var j = StepTestItems.Judge(item, "Finn: 72 / 2 = 36\nMia: 33 / 5 = 6\n6 * 36 = 216\n36 × 6 = 216");
        Assert.Equal([StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Correct, StepVerdict.Correct], j.Verdicts);
    }

    [Fact]
    public void Malformed_metadata_is_a_user_error_naming_the_item_and_field()
    {
        var item = Item(CombineOperation.Sum, 2, ("Omar", 1), ("Ana", 1));
        var broken = item with
        {
            Metadata = new MultiStepArithmeticMetadata
            {
                Subproblems = [new SubProblem { Question = "How many?", Expression = "1", Answer = 1 }],
                Combine = CombineOperation.Sum,
                Result = 1,
            },
        };
        var e = Assert.Throws<HierReasonException>(() => StepTestItems.Judge(broken, "1 + 1 = 2"));
        Assert.Contains("multi_step_arithmetic/hand", e.Message);
        Assert.Contains("metadata.subproblems[0].question", e.Message);
    }
}
