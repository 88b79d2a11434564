namespace HierReason.Core.Tasks;

/// <summary>
/// Breadth-first search and path replay on a grid of O (open), X (blocked), * (start) and
/// # (destination) cells, indexed row-major.
/// </summary>
public static class GridSearch
{
    /// <summary>
    /// Writes a shortest path's cells (start excluded) into <paramref name="path"/> and returns its
    /// length, or −1 when the goal cannot be reached. Neighbours are tried right, down, left, up, so
    /// the path is the same on every run.
    /// </summary>
    public static int ShortestPath(ReadOnlySpan<char> grid, int rows, int cols, int start, int goal, Span<short> path)
    {
        var cells = rows * cols;
        Span<short> parent = stackalloc short[cells];
        Span<short> queue = stackalloc short[cells];
        parent.Fill(-1);
        parent[start] = (short)start;
        int head = 0, tail = 0;
        queue[tail++] = (short)start;
        while (head < tail)
        {
            int at = queue[head++], r = at / cols, c = at % cols;
            if (at == goal) break;
            for (var d = 0; d < 4; d++)
            {
                int next;
                switch (d)
                {
                    case 0 when c + 1 < cols: next = at + 1; break;
                    case 1 when r + 1 < rows: next = at + cols; break;
                    case 2 when c > 0: next = at - 1; break;
                    case 3 when r > 0: next = at - cols; break;
                    default: continue;
                }
                if (parent[next] >= 0 || grid[next] == 'X') continue;
                parent[next] = (short)at;
                queue[tail++] = (short)next;
            }
        }
        if (parent[goal] < 0) return -1;
        var length = 0;
        for (var at = goal; at != start; at = parent[at]) length++;
        var i = length;
        for (var at = goal; at != start; at = parent[at]) path[--i] = (short)at;
        return length;
    }

    /// <summary>The direction of one step between adjacent cells.</summary>
    public static string DirectionName(int from, int to, int cols)
        => (to - from) switch
        {
            1 => "right",
            -1 => "left",
            _ when to - from == cols => "down",
            _ when from - to == cols => "up",
            _ => throw new ArgumentException($"cells {from} and {to} are not adjacent"),
        };

    /// <summary>
    /// Follows directions (up, down, left, right in any case, separated by spaces or commas) from *
    /// and returns the number of moves when every step stays in bounds and off X and the walk ends
    /// on #; 0 for anything else, including a word that is not a direction.
    /// </summary>
    public static int Walk(ReadOnlySpan<char> directions, IReadOnlyList<string> grid) => grid is string[] rows
        ? Walk(directions, rows)
        : Walk(directions, grid.ToArray());

    /// <summary>The same walk on rows held in an array (an item's grid is one), read without interface calls.</summary>
    private static int Walk(ReadOnlySpan<char> directions, string[] grid)
    {
        var rows = grid.Length;
        if (rows == 0) return 0;
        var cols = grid[0].Length;
        int r = -1, c = -1;
        for (var i = 0; i < rows && r < 0; i++)
        {
            if (grid[i].Length != cols) return 0;
            var j = grid[i].IndexOf('*');
            if (j >= 0) (r, c) = (i, j);
        }
        if (r < 0) return 0;

        var moves = 0;
        var rest = directions;
        while (true)
        {
            var k = 0;
            while (k < rest.Length && IsSeparator(rest[k])) k++;
            rest = rest[k..];
            if (rest.IsEmpty) break;
            k = 0;
            while (k < rest.Length && !IsSeparator(rest[k])) k++;
            var word = rest[..k];
            rest = rest[k..];
            switch (Direction(word))
            {
                case 'R': c++; break;
                case 'L': c--; break;
                case 'D': r++; break;
                case 'U': r--; break;
                default: return 0;
            }
            if (r < 0 || r >= rows || c < 0 || c >= cols || grid[r][c] == 'X') return 0;
            moves++;
        }
        return moves > 0 && grid[r][c] == '#' ? moves : 0;
    }

    /// <summary>R, L, D or U for right, left, down or up in any case; '\0' for any other word. The length picks the one candidate to compare.</summary>
    private static char Direction(ReadOnlySpan<char> word) => word.Length switch
    {
        5 when word.Equals("right", StringComparison.OrdinalIgnoreCase) => 'R',
        4 when word.Equals("left", StringComparison.OrdinalIgnoreCase) => 'L',
        4 when word.Equals("down", StringComparison.OrdinalIgnoreCase) => 'D',
        2 when word.Equals("up", StringComparison.OrdinalIgnoreCase) => 'U',
        _ => '\0',
    };

    private static bool IsSeparator(char ch) => ch is ' ' or ',' or '\n' or '\r' or '\t';
}
