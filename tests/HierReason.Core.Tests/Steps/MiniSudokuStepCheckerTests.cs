using System.Text.RegularExpressions;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

public partial class MiniSudokuStepCheckerTests
{
    [GeneratedRegex(@"^r\dc\d = (\d)")]
    private static partial Regex FillLine();

    [Fact]
    public void Gold_traces_of_every_level_fill_every_blank_correctly()
    {
        foreach (var (level, item) in StepTestItems.EveryLevel("mini_sudoku"))
        {
            var j = StepTestItems.Judge(item, item.Solution);
            Assert.True(j.FirstError is null, $"{item.Id} (level {level}): error at line {j.FirstError}\n{item.Solution}");
            Assert.Equal(((MiniSudokuMetadata)item.Metadata).Blanks, j.Count(StepVerdict.Correct));
            Assert.All(j.Verdicts.TakeLast(6), v => Assert.Equal(StepVerdict.Neutral, v)); // the answer grid
        }
    }

    [Fact]
    public void Changing_the_digit_of_one_fill_is_an_error_exactly_there()
    {
        foreach (var (_, item) in StepTestItems.EveryLevel("mini_sudoku"))
        {
            var gold = StepLines.Split(item.Solution);
            var blanks = ((MiniSudokuMetadata)item.Metadata).Blanks;
            var line = StepTestItems.Pick(item, blanks);
            var m = FillLine().Match(gold[line]);
            Assert.True(m.Success, gold[line]);
            var digit = m.Groups[1].Value[0] - '0';
            // Another digit, 1 to 4, which of the three others varies per item.
            var wrong = (digit - 1 + 1 + StepTestItems.Pick(item, 3, salt: 1)) % 4 + 1;
            var corrupted = (string[])gold.Clone();
            corrupted[line] = gold[line][..m.Groups[1].Index] + wrong + gold[line][(m.Groups[1].Index + 1)..];
            var j = StepTestItems.AssertFirstErrorAt(item, gold, corrupted, line);
            Assert.Equal(blanks - 1, j.Count(StepVerdict.Correct));
        }
    }

    // _ 4 _ _ / _ 3 _ 1 / 4 _ 3 2 / _ 2 _ 4, solved 1 4 2 3 / 2 3 4 1 / 4 1 3 2 / 3 2 1 4.
    private static readonly TaskItem Item = new("mini_sudoku/hand", "mini_sudoku", "q", "a", new MiniSudokuMetadata
    {
        Puzzle = "_4___3_14_32_2_4",
        Filled = "1423234141323214",
        Blanks = 8,
    });

    [Fact]
    public void Hand_written_fills_get_the_expected_verdicts()
    {
        var j = StepTestItems.Judge(Item, string.Join('\n',
            "Row 1 needs 1, 2 and 3.",  // prose
            "r1c3 = 2 (row col box)",   // right
            "R1C1=1",                   // right, any case and spacing
            "r 2 c 1 = 2 because of the box",
            "r1c4 = 4 (row)",           // the solution has 3
            "r3c1 = 4",                 // a given restated with its own digit
            "r5c1 = 1",                 // no such cell
            "r2c3 = 0",
            "<answer>",
            "1 4 2 3",
            "</answer>"));
        Assert.Equal(
            [StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Correct, StepVerdict.Correct, StepVerdict.Incorrect,
             StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Incorrect, StepVerdict.Neutral, StepVerdict.Neutral, StepVerdict.Neutral],
            j.Verdicts);
        Assert.Equal(4, j.FirstError);
    }

    [Fact]
    public void Huge_or_foreign_numbers_never_name_a_cell()
    {
        var j = StepTestItems.Judge(Item, "r99999999999999999999c1 = 1\nr1c1 = 99999999999999999999\nr１c１ = １\nr1c1 = 1e0");
        Assert.Equal([StepVerdict.Incorrect, StepVerdict.Incorrect, StepVerdict.Neutral, StepVerdict.Neutral], j.Verdicts);
    }

    [Fact]
    public void Malformed_metadata_is_a_user_error_naming_the_item_and_field()
    {
        var e = Assert.Throws<HierReasonException>(() => StepTestItems.Judge(
            Item with { Metadata = new MiniSudokuMetadata { Puzzle = "_", Filled = "12", Blanks = 1 } }, "r1c1 = 1"));
        Assert.Contains("mini_sudoku/hand", e.Message);
        Assert.Contains("metadata.filled", e.Message);
    }
}
