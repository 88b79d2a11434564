using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class ShortestPathTests
{
    private readonly ShortestPathTask _task = new();

    [Fact]
    public void Gold_length_matches_an_independent_distance_search()
    {
        var feasible = 0;
        var infeasible = 0;
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 500))
        {
            var m = Meta(item);
            var distance = Distance(m.Grid, blocked: true);
            Assert.Equal(distance, m.Length);
            if (m.Length < 0)
            {
                infeasible++;
                Assert.Equal(ShortestPathTask.Infeasible, item.Answer);
            }
            else
            {
                feasible++;
                Assert.Equal(m.Length, item.Answer.Split(' ').Length);
                Assert.EndsWith($"Length {m.Length}\n<answer>{item.Answer}</answer>", item.Solution);
            }
        }
        // Both kinds occur at the default blocking probability, so both are exercised above.
        Assert.True(feasible > 50 && infeasible > 50, $"{feasible} feasible, {infeasible} infeasible");
    }

    [Fact]
    public void Question_shows_the_grid_with_one_start_and_one_destination()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Test, 1, 100))
        {
            var m = Meta(item);
            Assert.EndsWith(string.Join('\n', m.Grid.Select(r => string.Join(' ', r.ToCharArray()))), item.Question);
            Assert.Equal(1, m.Grid.Sum(r => r.Count(ch => ch == '*')));
            Assert.Equal(1, m.Grid.Sum(r => r.Count(ch => ch == '#')));
            Assert.InRange(m.Grid.Count, 5, 8);
            Assert.InRange(m.Grid[0].Length, 5, 8);
        }
    }

    [Fact]
    public void A_longer_valid_path_scores_half()
    {
        var item = Feasible().First();
        var steps = item.Answer.Split(' ');
        var back = Opposite(steps[^1]);
        Assert.Equal(0.5, _task.Score($"{item.Answer} {back} {steps[^1]}", item));
        Assert.Equal(1.0, _task.Score(item.Answer.ToUpperInvariant().Replace(" ", ", "), item));
    }

    [Fact]
    public void A_path_through_a_blocked_cell_scores_zero()
    {
        // Where the walls make the shortest path longer, the wall-free shortest path crosses an X.
        var item = Feasible().First(i => Distance(Meta(i).Grid, blocked: false) < Meta(i).Length);
        var m = Meta(item);
        var throughWalls = WallFreePath(m.Grid);
        Assert.Equal(0.0, _task.Score(throughWalls, item));
    }

    [Fact]
    public void Paths_that_leave_the_grid_or_stop_short_score_zero()
    {
        var item = Feasible().First(i => Meta(i).Length >= 2);
        var steps = item.Answer.Split(' ');
        Assert.Equal(0.0, _task.Score(string.Join(' ', steps[..^1]), item));
        Assert.Equal(0.0, _task.Score(string.Join(' ', Enumerable.Repeat("up", 20)) + " " + item.Answer, item));
        Assert.Equal(0.0, _task.Score(item.Answer + " sideways", item));
        Assert.Equal(0.0, _task.Score(ShortestPathTask.Infeasible, item));
    }

    [Fact]
    public void Infeasible_items_really_have_no_path_and_only_infeasible_scores()
    {
        var item = TaskDataset.Create(_task, Split.Test, 3, 200).First(i => Meta(i).Length < 0);
        var m = Meta(item);
        Assert.Equal(-1, Distance(m.Grid, blocked: true));
        Assert.Equal(1.0, _task.Score("Infeasible.", item));
        Assert.Equal(0.0, _task.Score(WallFreePath(m.Grid), item));
    }

    [Fact]
    public void Largest_grids_with_long_paths_still_score_their_gold_answer()
    {
        var config = new ShortestPathConfig { MinRows = 30, MaxRows = 30, MinCols = 30, MaxCols = 30, PBlocked = 0.3 };
        var items = TaskDataset.Create(_task, Split.Validation, 4, 30, config).ToArray();
        Assert.Contains(items, i => Meta(i).Length > 40);
        foreach (var item in items)
        {
            Assert.Equal(1.0, _task.Score(item.Answer, item));
            Assert.Equal(Distance(Meta(item).Grid, blocked: true), Meta(item).Length);
        }
    }

    private IEnumerable<TaskItem> Feasible()
        => TaskDataset.Create(_task, Split.Test, 2, 500).Where(i => Meta(i).Length > 0);

    private static ShortestPathMetadata Meta(TaskItem item) => (ShortestPathMetadata)item.Metadata;

    private static string Opposite(string direction) => direction switch
    {
        "up" => "down",
        "down" => "up",
        "left" => "right",
        _ => "left",
    };

    /// <summary>Moves from * to # by relaxing distances until nothing changes (no queue), or −1.</summary>
    private static int Distance(IReadOnlyList<string> grid, bool blocked)
    {
        var dist = Relax(grid, blocked);
        var (gr, gc) = Find(grid, '#');
        return dist[gr, gc] == int.MaxValue ? -1 : dist[gr, gc];
    }

    private static int[,] Relax(IReadOnlyList<string> grid, bool blocked)
    {
        int rows = grid.Count, cols = grid[0].Length;
        var dist = new int[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                dist[r, c] = int.MaxValue;
        var (sr, sc) = Find(grid, '*');
        dist[sr, sc] = 0;
        for (var changed = true; changed;)
        {
            changed = false;
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                {
                    if (blocked && grid[r][c] == 'X') continue;
                    foreach (var (nr, nc) in new[] { (r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1) })
                        if (nr >= 0 && nr < rows && nc >= 0 && nc < cols && dist[nr, nc] != int.MaxValue && dist[nr, nc] + 1 < dist[r, c])
                        {
                            dist[r, c] = dist[nr, nc] + 1;
                            changed = true;
                        }
                }
        }
        return dist;
    }

    /// <summary>Straight moves from * to #, ignoring walls: vertical first, then horizontal.</summary>
    private static string WallFreePath(IReadOnlyList<string> grid)
    {
        var (sr, sc) = Find(grid, '*');
        var (gr, gc) = Find(grid, '#');
        var steps = new List<string>();
        steps.AddRange(Enumerable.Repeat(gr > sr ? "down" : "up", Math.Abs(gr - sr)));
        steps.AddRange(Enumerable.Repeat(gc > sc ? "right" : "left", Math.Abs(gc - sc)));
        return string.Join(' ', steps);
    }

    private static (int Row, int Col) Find(IReadOnlyList<string> grid, char ch)
    {
        for (var r = 0; r < grid.Count; r++)
        {
            var c = grid[r].IndexOf(ch);
            if (c >= 0) return (r, c);
        }
        throw new InvalidOperationException($"no {ch} in the grid");
    }
}
