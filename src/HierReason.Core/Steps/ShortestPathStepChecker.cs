using HierReason.Core.Tasks;

namespace HierReason.Core.Steps;

/// <summary>
/// Judges shortest_path steps. A step is a line of directions (<c>up down left right</c>, any case,
/// separated by spaces or commas) optionally followed by the cell reached, <c>(row,col)</c> from 1:
/// the gold trace writes <c>right (2,3)</c>. The step is Correct when the path so far (every move of
/// the completion up to and including this line) is the beginning of SOME shortest path from * to #
/// (by breadth-first distances from both ends, not only the gold path), and the cell, when written,
/// is the cell the moves reach. A path that has left every shortest path never returns to one, so
/// every later step is Incorrect too; in a grid with no path every move is Incorrect. The distance to
/// goal is the fewest moves from the reached cell to #. Answer lines are Neutral.
/// </summary>
public sealed class ShortestPathStepChecker : StepChecker<ShortestPathMetadata>
{
    public override string Task => "shortest_path";

    protected override bool HasDistance => true;

    protected override void Judge(TaskItem item, ShortestPathMetadata metadata, IReadOnlyList<string?> lines, Span<StepVerdict> verdicts, Span<int?> distances)
    {
        var (rows, cols, start, goal) = ReadGrid(item, metadata.Grid);
        var fromStart = Distances(metadata.Grid, rows, cols, start);
        var toGoal = Distances(metadata.Grid, rows, cols, goal);
        var shortest = fromStart[goal];

        int r = start / cols, c = start % cols, moves = 0;
        var inGrid = true;             // every move so far stayed in bounds and off X
        var onShortest = shortest >= 0; // the moves so far begin some shortest path
        var answer = new AnswerLines();
        for (var i = 0; i < lines.Count; i++)
        {
            if (answer.Covers(lines[i])) continue;
            var content = StepLines.Content(lines[i]);
            if (!TryReadStep(content, out var cell)) continue;
            var reader = new StepReader(content);
            while (Direction(ref reader, out var dr, out var dc))
            {
                reader.Char(',');
                moves++;
                if (!inGrid) continue;
                r += dr;
                c += dc;
                if (r < 0 || r >= rows || c < 0 || c >= cols || metadata.Grid[r][c] == 'X')
                {
                    inGrid = onShortest = false;
                    continue;
                }
                var at = r * cols + c;
                onShortest = onShortest && fromStart[at] == moves && fromStart[at] + toGoal[at] == shortest;
            }
            var cellRight = cell is not { } written || (inGrid && written.Row == r + 1 && written.Col == c + 1);
            verdicts[i] = onShortest && cellRight ? StepVerdict.Correct : StepVerdict.Incorrect;
            if (inGrid && toGoal[r * cols + c] >= 0) distances[i] = toGoal[r * cols + c];
        }
    }

    /// <summary>
    /// Whether the line is a step: one or more directions, then optionally <c>(row,col)</c>, then
    /// nothing (a final full stop aside). Anything else is prose that may start with a direction word.
    /// </summary>
    private static bool TryReadStep(ReadOnlySpan<char> text, out (long? Row, long? Col)? cell)
    {
        cell = null;
        var reader = new StepReader(text);
        if (!Direction(ref reader, out _, out _)) return false;
        do reader.Char(',');
        while (Direction(ref reader, out _, out _));
        if (reader.Char('('))
        {
            if (!(reader.Digits(out var row) && reader.Char(',') && reader.Digits(out var col) && reader.Char(')'))) return false;
            cell = (row, col);
        }
        return reader.AtEnd;
    }

    private static bool Direction(ref StepReader reader, out int dr, out int dc)
    {
        (dr, dc) = reader.Word("right") ? (0, 1)
            : reader.Word("left") ? (0, -1)
            : reader.Word("down") ? (1, 0)
            : reader.Word("up") ? (-1, 0)
            : (0, 0);
        return dr != 0 || dc != 0;
    }

    private (int Rows, int Cols, int Start, int Goal) ReadGrid(TaskItem item, IReadOnlyList<string>? grid)
    {
        const string Expected = "rows of equal length made of O, X, one * and one #";
        if (grid is null || grid.Count == 0 || grid[0] is null || grid[0].Length == 0) throw Malformed(item, "grid", Expected);
        int rows = grid.Count, cols = grid[0].Length, start = -1, goal = -1;
        for (var r = 0; r < rows; r++)
        {
            if (grid[r] is not { } row || row.Length != cols) throw Malformed(item, "grid", Expected);
            for (var c = 0; c < cols; c++)
            {
                switch (row[c])
                {
                    case 'O' or 'X':
                        break;
                    case '*' when start < 0:
                        start = r * cols + c;
                        break;
                    case '#' when goal < 0:
                        goal = r * cols + c;
                        break;
                    default:
                        throw Malformed(item, "grid", Expected);
                }
            }
        }
        if (start < 0 || goal < 0) throw Malformed(item, "grid", Expected);
        return (rows, cols, start, goal);
    }

    /// <summary>Breadth-first moves from <paramref name="from"/> to every cell; −1 where X or unreachable.</summary>
    private static int[] Distances(IReadOnlyList<string> grid, int rows, int cols, int from)
    {
        var distance = new int[rows * cols];
        Array.Fill(distance, -1);
        var queue = new int[rows * cols];
        int head = 0, tail = 0;
        distance[from] = 0;
        queue[tail++] = from;
        while (head < tail)
        {
            var at = queue[head++];
            int r = at / cols, c = at % cols;
            Visit(r, c + 1);
            Visit(r + 1, c);
            Visit(r, c - 1);
            Visit(r - 1, c);

            void Visit(int nr, int nc)
            {
                if (nr < 0 || nr >= rows || nc < 0 || nc >= cols || grid[nr][nc] == 'X') return;
                var next = nr * cols + nc;
                if (distance[next] >= 0) return;
                distance[next] = distance[at] + 1;
                queue[tail++] = next;
            }
        }
        return distance;
    }
}
