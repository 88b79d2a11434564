using System.Text;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class TowerOfHanoiTests
{
    private readonly TowerOfHanoiTask _task = new();

    [Fact]
    public void Four_peg_optimum_is_the_frame_stewart_number()
    {
        int[] expected = [1, 3, 5, 9, 13, 17, 25, 33, 41, 49];
        for (var n = 1; n <= expected.Length; n++)
            Assert.Equal(expected[n - 1], HanoiSolver.OptimalMoves(4, n));
    }

    [Fact]
    public void Three_peg_optimum_is_two_to_the_n_minus_one()
    {
        for (var n = 1; n <= 10; n++)
            Assert.Equal((1 << n) - 1, HanoiSolver.OptimalMoves(3, n));
    }

    [Fact]
    public void Gold_answer_has_exactly_the_optimal_number_of_legal_moves()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 300))
        {
            var m = (TowerOfHanoiMetadata)item.Metadata;
            var lines = item.Answer.Split('\n');
            Assert.Equal(m.OptimalMoves, lines.Length);
            Assert.Equal(HanoiSolver.OptimalMoves(m.Pegs, m.Disks), m.OptimalMoves);
            Assert.Equal(m.OptimalMoves, HanoiMoves.Replay(item.Answer, m.Pegs, m.Disks, m.StartPeg, m.TargetPeg));
            Assert.StartsWith($"Optimal: {m.OptimalMoves} moves\n<answer>", item.Solution);
            Assert.Contains($"{m.Disks} disks and {m.Pegs} pegs", item.Question);
            Assert.NotEqual(m.StartPeg, m.TargetPeg);
        }
    }

    [Fact]
    public void Solving_every_size_on_four_pegs_takes_the_frame_stewart_count()
    {
        for (var n = 1; n <= 10; n++)
        {
            var moves = new StringBuilder();
            HanoiSolver.Solve(4, n, 2, 4, moves);
            Assert.Equal(HanoiSolver.OptimalMoves(4, n), HanoiMoves.Replay(moves.ToString(), 4, n, 2, 4));
        }
    }

    [Fact]
    public void Legal_detour_scores_optimal_over_moves_used()
    {
        var item = Items().First(i => Meta(i).Pegs == 3);
        var m = Meta(item);
        var via = 6 - m.StartPeg - m.TargetPeg;
        var moves = new StringBuilder();
        HanoiSolver.Solve(3, m.Disks, m.StartPeg, via, moves);
        moves.Append('\n');
        var second = new StringBuilder();
        HanoiSolver.Solve(3, m.Disks, via, m.TargetPeg, second);
        moves.Append(second);
        Assert.Equal(0.5, _task.Score(moves.ToString(), item), 10);
    }

    [Fact]
    public void Wasted_back_and_forth_moves_cost_in_proportion()
    {
        var item = Items().First();
        var m = Meta(item);
        var other = m.StartPeg == 1 ? 2 : 1;
        var detour = $"Move disk 1 from Peg {m.StartPeg} to Peg {other}\nMove disk 1 from Peg {other} to Peg {m.StartPeg}\n";
        Assert.Equal((double)m.OptimalMoves / (m.OptimalMoves + 2), _task.Score(detour + item.Answer, item), 10);
    }

    [Fact]
    public void Any_illegal_move_scores_zero()
    {
        var item = Items().First(i => Meta(i).Disks >= 3);
        var m = Meta(item);
        var other = Enumerable.Range(1, m.Pegs).First(p => p != m.StartPeg && p != m.TargetPeg);
        string[] illegal =
        [
            $"Move disk 2 from Peg {m.StartPeg} to Peg {other}",                     // disk 2 is under disk 1
            $"Move disk 1 from Peg {other} to Peg {m.StartPeg}",                     // empty peg
            $"Move disk 1 from Peg {m.StartPeg} to Peg 5",                           // no such peg
            $"Move disk 1 from Peg {m.StartPeg} to Peg {other}\nMove disk 2 from Peg {m.StartPeg} to Peg {other}", // larger on smaller
            $"Move disk 1 from Peg {m.StartPeg} to Peg {m.StartPeg}",
        ];
        foreach (var prefix in illegal)
            Assert.Equal(0.0, _task.Score(prefix + "\n" + item.Answer, item));
    }

    [Fact]
    public void Legal_moves_that_leave_the_tower_unfinished_score_zero()
    {
        var item = Items().First();
        var lines = item.Answer.Split('\n');
        Assert.Equal(0.0, _task.Score(string.Join('\n', lines[..^1]), item));
        Assert.Equal(0.0, _task.Score(lines[0], item));
    }

    [Fact]
    public void Moves_are_read_leniently_but_other_lines_are_wrong()
    {
        var item = Items().First();
        var lenient = string.Join("\r\n", item.Answer.Split('\n').Select(l => "  " + l.ToUpperInvariant().Replace(" ", "   ") + ". "));
        Assert.Equal(1.0, _task.Score(lenient, item));
        Assert.Equal(1.0, _task.Score("\n" + item.Answer.Replace("\n", "\n\n") + "\n", item));
        Assert.Equal(0.0, _task.Score("Here are the moves:\n" + item.Answer, item));
        Assert.Equal(0.0, _task.Score(item.Answer.Replace("Move disk", "Move the disk"), item));
    }

    [Fact]
    public void Every_level_leaves_questions_for_every_split()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
            foreach (var split in new[] { Split.Train, Split.Validation, Split.Test })
            {
                var item = _task.Generate(_task.Levels[level], split, 11, 0, level);
                Assert.Equal(1.0, _task.Score(item.Answer, item));
            }
    }

    [Fact]
    public void Pegs_and_disks_outside_the_supported_range_are_rejected_by_path()
    {
        var e = Assert.Throws<ConfigException>(() =>
            _task.ParseConfig(new System.Text.Json.Nodes.JsonObject { ["max_pegs"] = 5 }, "tasks/tower_of_hanoi.json"));
        Assert.Equal("$.max_pegs", e.JsonPath);
        var d = Assert.Throws<ConfigException>(() =>
            _task.ParseConfig(new System.Text.Json.Nodes.JsonObject { ["max_disks"] = 11 }, "tasks/tower_of_hanoi.json"));
        Assert.Equal("$.max_disks", d.JsonPath);
    }

    [Fact]
    public void Ten_disks_on_three_pegs_take_1023_moves()
    {
        var config = new TowerOfHanoiConfig { MinPegs = 3, MaxPegs = 3, MinDisks = 10, MaxDisks = 10 };
        var item = TaskDataset.Create(_task, Split.Train, 1, 1, config)[0];
        Assert.Equal(1023, item.Answer.Split('\n').Length);
        Assert.Equal(1.0, _task.Score(item.Answer, item));
    }

    private IEnumerable<TaskItem> Items() => TaskDataset.Create(_task, Split.Test, 3, 200);

    private static TowerOfHanoiMetadata Meta(TaskItem item) => (TowerOfHanoiMetadata)item.Metadata;
}
