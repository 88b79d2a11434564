using System.Text.RegularExpressions;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

public partial class ShortestPathStepCheckerTests
{
    [GeneratedRegex(@"^(right|left|up|down) \((\d+),(\d+)\)$")]
    private static partial Regex MoveLine();

    [Fact]
    public void Gold_traces_of_every_level_are_shortest_all_the_way()
    {
        var feasible = 0;
        foreach (var (level, item) in StepTestItems.EveryLevel("shortest_path"))
        {
            var length = ((ShortestPathMetadata)item.Metadata).Length;
            var j = StepTestItems.Judge(item, item.Solution);
            Assert.True(j.FirstError is null, $"{item.Id} (level {level}): error at line {j.FirstError}\n{item.Solution}");
            Assert.Equal(Math.Max(length, 0), j.Count(StepVerdict.Correct));
            // Line 0 is "Start …"; move k (from 1) is line k and leaves length − k to go.
            for (var k = 1; k <= length; k++) Assert.Equal(length - k, j.DistanceToGoal![k]);
            if (length > 0) feasible++;
        }
        Assert.True(feasible > 1000, $"only {feasible} items with a path");
    }

    [Fact]
    public void Changing_one_direction_into_a_detour_or_a_wall_is_an_error_exactly_there()
    {
        var rightAfter = new Dictionary<string, string> { ["right"] = "left", ["left"] = "right", ["up"] = "down", ["down"] = "up" };
        int fromStart = 0, later = 0;
        foreach (var (_, item) in StepTestItems.EveryLevel("shortest_path"))
        {
            var m = (ShortestPathMetadata)item.Metadata;
            if (m.Length <= 0) continue;
            var gold = StepLines.Split(item.Solution);
            var step = StepTestItems.Pick(item, m.Length);
            string? wrong = null;
            if (step == 0)
            {
                // From the start: a direction into a wall or off the grid, when there is one; a one-move
                // path is left by any other direction (the neighbour is not the goal).
                var (r, c) = Cell(gold[0], "Start");
                wrong = new[] { "up", "right", "down", "left" }.FirstOrDefault(d => Blocked(m.Grid, r, c, d) || (m.Length == 1 && !gold[1].StartsWith(d)));
                if (wrong is null) step = 1;
            }
            if (step > 0 && wrong is null && step < m.Length)
                wrong = rightAfter[MoveLine().Match(gold[step]).Groups[1].Value]; // straight back: a shortest path never revisits a cell
            if (wrong is null) continue; // a path of length 1 with open cells all round: covered by the hand-written cases
            if (step == 0) fromStart++;
            else later++;
            var line = step + 1;
            // The wrong move names the cell it really reaches (none off the grid), so only the route is wrong.
            var (r0, c0) = line == 1 ? Cell(gold[0], "Start") : Cell(gold[line - 1], "");
            var reached = Blocked(m.Grid, r0, c0, wrong) ? "" : $" ({Step(r0, c0, wrong).Row + 1},{Step(r0, c0, wrong).Col + 1})";
            var corrupted = (string[])gold.Clone();
            corrupted[line] = wrong + reached;
            var j = StepTestItems.AssertFirstErrorAt(item, gold, corrupted, line);
            // Once off every shortest path, a path never gets back on one: every later move is wrong too.
            for (var next = line + 1; next <= m.Length; next++) Assert.Equal(StepVerdict.Incorrect, j.Verdicts[next]);
        }
        Assert.True(fromStart > 200 && later > 1000, $"{fromStart} first moves and {later} later moves corrupted");
    }

    private static (int Row, int Col) Cell(string line, string label)
    {
        var m = Regex.Match(line, label + @" ?\((\d+),(\d+)\)");
        return (int.Parse(m.Groups[1].Value) - 1, int.Parse(m.Groups[2].Value) - 1);
    }

    private static (int Row, int Col) Step(int r, int c, string direction)
        => direction switch { "up" => (r - 1, c), "down" => (r + 1, c), "left" => (r, c - 1), _ => (r, c + 1) };

    private static bool Blocked(IReadOnlyList<string> grid, int r, int c, string direction)
    {
        (r, c) = Step(r, c, direction);
        return r < 0 || r >= grid.Count || c < 0 || c >= grid[0].Length || grid[r][c] == 'X';
    }

    private static TaskItem Item(params string[] grid) => new("shortest_path/hand", "shortest_path", "q", "a", new ShortestPathMetadata
    {
        Grid = grid,
        Length = 0, // the checker measures the grid itself
    });

    // Two shortest routes of 4 moves round the X: along the top then down, or down then along the bottom.
    private static readonly TaskItem Ring = Item("*OO", "OXO", "OO#");

    [Fact]
    public void A_different_route_of_the_same_shortest_length_is_correct()
    {
        foreach (var route in new[] { "right (1,2)\nright (1,3)\ndown (2,3)\ndown (3,3)", "down (2,1)\ndown (3,1)\nright (3,2)\nright (3,3)" })
        {
            var j = StepTestItems.Judge(Ring, route);
            Assert.Equal(Enumerable.Repeat(StepVerdict.Correct, 4), j.Verdicts);
            Assert.Equal([3, 2, 1, 0], j.DistanceToGoal!);
        }
    }

    [Fact]
    public void A_detour_is_incorrect_from_the_move_that_leaves_every_shortest_path()
    {
        var j = StepTestItems.Judge(Item("*OOO", "OOOO", "OOO#"), "right (1,2)\nleft (1,1)\ndown (2,1)\nright (2,2)");
        Assert.Equal([StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Incorrect, StepVerdict.Incorrect], j.Verdicts);
        Assert.Equal(1, j.FirstError);
        Assert.Equal([4, 5, 4, 3], j.DistanceToGoal!);
    }

    [Fact]
    public void A_move_that_gains_nothing_towards_the_goal_is_incorrect_even_in_open_space()
    {
        // Up from (2,1) keeps the goal 3 away, where a shortest path would be 2 away.
        var j = StepTestItems.Judge(Item("OOO", "*OO", "OO#"), "up (1,1)\nright (1,2)");
        Assert.Equal([StepVerdict.Incorrect, StepVerdict.Incorrect], j.Verdicts);
    }

    [Fact]
    public void Walls_edges_wrong_cells_and_moves_past_the_goal_are_incorrect()
    {
        Assert.Equal([StepVerdict.Incorrect], StepTestItems.Judge(Ring, "up").Verdicts);                  // off the grid
        Assert.Equal([StepVerdict.Correct, StepVerdict.Incorrect], StepTestItems.Judge(Ring, "right\ndown").Verdicts); // into X
        Assert.Equal([StepVerdict.Incorrect], StepTestItems.Judge(Ring, "right (2,1)").Verdicts);         // right is (1,2)
        var past = StepTestItems.Judge(Ring, "right right down down\nleft (3,2)");
        Assert.Equal([StepVerdict.Correct, StepVerdict.Incorrect], past.Verdicts);
        Assert.Equal([0, 1], past.DistanceToGoal!);
    }

    [Fact]
    public void Any_move_in_a_grid_with_no_path_is_incorrect()
    {
        var j = StepTestItems.Judge(Item("*X#", "OXO"), "Start (1,1), destination (1,3)\ndown (2,1)\nNo path\n<answer>infeasible</answer>");
        Assert.Equal([StepVerdict.Neutral, StepVerdict.Incorrect, StepVerdict.Neutral, StepVerdict.Neutral], j.Verdicts);
        Assert.Equal([null, null, null, null], j.DistanceToGoal!);
    }

    [Fact]
    public void Steps_are_read_tolerantly_and_prose_and_answers_are_neutral()
    {
        var j = StepTestItems.Judge(Ring, string.Join('\n',
            "Start (1,1), destination (3,3)",
            "Right, let me go along the top.",   // prose that starts with a direction word
            "  RIGHT ( 1 , 2 ).",
            "right, down",
            "Down",
            "Length 4",
            "<answer>right right down down</answer>"));
        Assert.Equal(
            [StepVerdict.Neutral, StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Correct, StepVerdict.Correct, StepVerdict.Neutral, StepVerdict.Neutral],
            j.Verdicts);
        Assert.Equal([null, null, 3, 1, 0, null, null], j.DistanceToGoal!);
    }

    [Fact]
    public void Malformed_metadata_is_a_user_error_naming_the_item_and_field()
    {
        var e = Assert.Throws<HierReasonException>(() => StepTestItems.Judge(Item("*OO", "O#"), "right"));
        Assert.Contains("shortest_path/hand", e.Message);
        Assert.Contains("metadata.grid", e.Message);
    }
}
