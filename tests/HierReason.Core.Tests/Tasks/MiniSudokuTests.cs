using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class MiniSudokuTests
{
    private readonly MiniSudokuTask _task = new();

    /// <summary>All 4×4 sudoku grids, found by brute force over rows, independently of the task's solver.</summary>
    private static readonly string[] AllGrids = EnumerateGrids();

    [Fact]
    public void There_are_288_grids()
        => Assert.Equal(288, AllGrids.Length);

    [Fact]
    public void Every_puzzle_has_exactly_one_solution_and_it_is_the_gold_grid()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
            foreach (var item in TaskDataset.Create(_task, Split.Train, 1, 150, level: level))
            {
                var m = Meta(item);
                var matches = AllGrids.Where(g => Fits(m.Puzzle, g)).ToArray();
                Assert.Single(matches);
                Assert.Equal(m.Filled, matches[0]);
            }
    }

    [Fact]
    public void Every_one_of_the_288_grids_can_be_drawn()
    {
        var drawn = TaskDataset.Create(_task, Split.Train, 9, 4000).Select(i => Meta(i).Filled).ToHashSet();
        Assert.Equal(AllGrids.Order(), drawn.Order());
    }

    [Fact]
    public void Givens_are_kept_and_blank_count_is_within_the_config()
    {
        var config = (MiniSudokuConfig)_task.DefaultConfig;
        foreach (var item in TaskDataset.Create(_task, Split.Test, 2, 300))
        {
            var m = Meta(item);
            Assert.Equal(m.Blanks, m.Puzzle.Count(ch => ch == '_'));
            Assert.InRange(m.Blanks, config.MinEmpty, config.MaxEmpty);
            Assert.True(Fits(m.Puzzle, m.Filled));
            Assert.EndsWith(Rows(m.Puzzle), item.Question);
            Assert.Equal(Rows(m.Filled), item.Answer);
        }
    }

    [Fact]
    public void Defaults_reach_the_hardest_puzzles_with_twelve_blanks()
        => Assert.Contains(TaskDataset.Create(_task, Split.Train, 4, 200), i => Meta(i).Blanks == 12);

    [Fact]
    public void Trace_fills_each_blank_once_with_its_solution_digit()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 5, 100))
        {
            var m = Meta(item);
            var steps = item.Solution.Split('\n').TakeWhile(l => l.StartsWith('r')).ToArray();
            Assert.Equal(m.Blanks, steps.Length);
            var filled = new HashSet<int>();
            foreach (var step in steps)
            {
                // "r2c3 = 4 (row col)"
                int r = step[1] - '1', c = step[3] - '1';
                Assert.Equal('_', m.Puzzle[r * 4 + c]);
                Assert.Equal(m.Filled[r * 4 + c], step[7]);
                Assert.True(filled.Add(r * 4 + c));
                Assert.Matches(@"^r[1-4]c[1-4] = [1-4] \((row|col|box|row col|row box|col box|row col box|only place in (row|col|box))\)$", step);
            }
        }
    }

    [Fact]
    public void A_wrong_cell_earns_partial_credit_below_one()
    {
        var item = TaskDataset.Create(_task, Split.Test, 6, 1)[0];
        var m = Meta(item);
        var blank = m.Puzzle.IndexOf('_');
        var wrong = m.Filled.ToCharArray();
        wrong[blank] = wrong[blank] == '1' ? '2' : '1';
        var score = _task.Score(Rows(new string(wrong)), item);
        Assert.Equal(0.5 * (m.Blanks - 1) / m.Blanks, score, 10);
        Assert.True(score < 0.5);
        Assert.Equal(0.0, _task.Score(Rows(m.Puzzle), item)); // the puzzle handed back: no blank filled
    }

    [Fact]
    public void Changing_a_given_scores_zero_even_if_blanks_are_right()
    {
        var item = TaskDataset.Create(_task, Split.Test, 7, 1)[0];
        var m = Meta(item);
        var given = m.Puzzle.IndexOfAny(['1', '2', '3', '4']);
        var changed = m.Filled.ToCharArray();
        changed[given] = changed[given] == '1' ? '2' : '1';
        Assert.Equal(0.0, _task.Score(Rows(new string(changed)), item));
    }

    [Fact]
    public void The_grid_is_read_in_any_common_layout_but_must_have_16_cells()
    {
        var item = TaskDataset.Create(_task, Split.Test, 8, 1)[0];
        var digits = Meta(item).Filled;
        Assert.Equal(1.0, _task.Score(digits, item));
        Assert.Equal(1.0, _task.Score(string.Join(", ", digits.ToCharArray()), item));
        Assert.Equal(1.0, _task.Score("| " + string.Join(" | ", digits.Chunk(4).Select(r => new string(r))) + " |", item));
        Assert.Equal(1.0, _task.Score("[" + string.Join(", ", digits.Chunk(4).Select(r => "[" + string.Join(", ", r) + "]")) + "]", item));
        Assert.Equal(0.0, _task.Score(digits + "1", item));
        Assert.Equal(0.0, _task.Score(digits[..15], item));
        Assert.Equal(0.0, _task.Score(digits[..15] + "5", item));
        Assert.Equal(0.0, _task.Score("grid: " + digits, item));
    }

    [Fact]
    public void Blank_count_above_twelve_is_rejected_by_path()
    {
        var e = Assert.Throws<ConfigException>(() =>
            _task.ParseConfig(new System.Text.Json.Nodes.JsonObject { ["max_empty"] = 13 }, "tasks/mini_sudoku.json"));
        Assert.Equal("$.max_empty", e.JsonPath);
    }

    [Fact]
    public void Solver_counts_solutions_up_to_the_limit()
    {
        Assert.Equal(2, ShidokuSolver.CountSolutions(new byte[16]));
        Assert.Equal(288, ShidokuSolver.CountSolutions(new byte[16], limit: 1000));
        var conflicting = new byte[16];
        conflicting[0] = conflicting[1] = 1;
        Assert.Equal(0, ShidokuSolver.CountSolutions(conflicting));
    }

    [Fact]
    public void Exactly_twelve_blanks_can_be_asked_for()
    {
        var config = new MiniSudokuConfig { MinEmpty = 12, MaxEmpty = 12 };
        foreach (var item in TaskDataset.Create(_task, Split.Test, 3, 50, config))
        {
            Assert.Equal(12, Meta(item).Blanks);
            Assert.Single(AllGrids, g => Fits(Meta(item).Puzzle, g));
        }
    }

    private static MiniSudokuMetadata Meta(TaskItem item) => (MiniSudokuMetadata)item.Metadata;

    private static bool Fits(string puzzle, string grid)
    {
        for (var i = 0; i < 16; i++)
            if (puzzle[i] != '_' && puzzle[i] != grid[i]) return false;
        return true;
    }

    private static string Rows(string cells)
        => string.Join('\n', Enumerable.Range(0, 4).Select(r => string.Join(' ', cells.Substring(r * 4, 4).ToCharArray())));

    private static string[] EnumerateGrids()
    {
        var perms = Permutations("1234").ToArray();
        var grids = new List<string>();
        foreach (var a in perms)
            foreach (var b in perms)
                foreach (var c in perms)
                    foreach (var d in perms)
                    {
                        var g = a + b + c + d;
                        if (IsSudoku(g)) grids.Add(g);
                    }
        return grids.ToArray();
    }

    private static bool IsSudoku(string g)
    {
        for (var k = 0; k < 4; k++)
        {
            var col = new HashSet<char>();
            var box = new HashSet<char>();
            for (var j = 0; j < 4; j++)
            {
                col.Add(g[j * 4 + k]);
                box.Add(g[((k / 2) * 2 + j / 2) * 4 + (k % 2) * 2 + j % 2]);
            }
            if (col.Count < 4 || box.Count < 4) return false;
        }
        return true; // rows are permutations by construction
    }

    private static IEnumerable<string> Permutations(string s)
        => s.Length <= 1 ? [s] : s.SelectMany((ch, i) => Permutations(s.Remove(i, 1)).Select(p => ch + p));
}
