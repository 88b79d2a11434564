using System.ComponentModel;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="ShortestPathTask"/>: grid size and how many cells are blocked (defaults as reasoning-gym's).</summary>
public sealed record ShortestPathConfig : TaskConfig
{
    /// <summary>Largest side a grid may have.</summary>
    public const int SideLimit = 30;

    [Description("Fewest rows.")]
    public int MinRows { get; init; } = 5;

    [Description("Most rows.")]
    public int MaxRows { get; init; } = 8;

    [Description("Fewest columns.")]
    public int MinCols { get; init; } = 5;

    [Description("Most columns.")]
    public int MaxCols { get; init; } = 8;

    [Description("Probability that a cell other than start and destination is blocked.")]
    public double PBlocked { get; init; } = 0.4;

    public override void Validate()
    {
        InRange(MinRows, 2, SideLimit, nameof(MinRows));
        InRange(MaxRows, 2, SideLimit, nameof(MaxRows));
        Ordered(MinRows, MaxRows, nameof(MinRows), nameof(MaxRows));
        InRange(MinCols, 2, SideLimit, nameof(MinCols));
        InRange(MaxCols, 2, SideLimit, nameof(MaxCols));
        Ordered(MinCols, MaxCols, nameof(MinCols), nameof(MaxCols));
        InRange(PBlocked, 0.0, 0.9, nameof(PBlocked));
    }
}

/// <summary>What a shortest-path item needs for scoring: the grid and the shortest path's length.</summary>
public sealed record ShortestPathMetadata : TaskMetadata
{
    /// <summary>The grid's rows, one character a cell: O open, X blocked, * start, # destination.</summary>
    public required IReadOnlyList<string> Grid { get; init; }

    /// <summary>Moves on a shortest path, or −1 when the destination cannot be reached.</summary>
    public required int Length { get; init; }
}

/// <summary>
/// Find a shortest path from * to # in a grid, moving up, down, left or right through open cells.
/// The answer is the directions separated by spaces, or <c>infeasible</c>. Scoring: a valid path
/// (in bounds, never on X, ending on #) of the shortest length scores 1, a valid longer one 0.5;
/// an invalid path, or <c>infeasible</c> when a path exists, scores 0. When no path exists,
/// <c>infeasible</c> scores 1 and anything else 0.
/// </summary>
public sealed class ShortestPathTask : ReasoningTask<ShortestPathConfig, ShortestPathMetadata>
{
    public const string Infeasible = "infeasible";

    private const string Instruction =
        "Find the shortest path from * to # moving up, down, left or right through open cells (O), never through X. " +
        "Answer with the directions separated by spaces, e.g. right right down, or infeasible if there is no path.\n";

    public override string Name => "shortest_path";

    public override string Description => "Find the shortest path between two cells of a grid with blocked cells.";

    protected override IEnumerable<ShortestPathConfig> DifficultyLevels() =>
    [
        new() { MinRows = 3, MaxRows = 4, MinCols = 3, MaxCols = 4, PBlocked = 0.2 },
        new() { MinRows = 4, MaxRows = 6, MinCols = 4, MaxCols = 6, PBlocked = 0.3 },
        new() { MinRows = 5, MaxRows = 8, MinCols = 5, MaxCols = 8, PBlocked = 0.4 },
        new() { MinRows = 8, MaxRows = 12, MinCols = 8, MaxCols = 12, PBlocked = 0.4 },
    ];

    protected override TaskItem Generate(ShortestPathConfig config, ItemContext context)
    {
        var rng = context.Rng;
        // Buffers sized to the config, not the limit: stack memory is zeroed on every call.
        Span<char> grid = stackalloc char[config.MaxRows * config.MaxCols];
        // The question is the instruction, then the grid with a space between cells: cell (r, c) sits
        // at a fixed offset, so each draw writes only the cells.
        Span<char> questionText = stackalloc char[Instruction.Length + grid.Length * 2];
        Instruction.AsSpan().CopyTo(questionText);
        var cellText = questionText[Instruction.Length..];
        // A cell is blocked when a raw 64-bit draw falls below p·2^64: NextDouble() < p without the conversion.
        var blockedBelow = config.PBlocked >= 1.0 ? ulong.MaxValue : (ulong)(config.PBlocked * 18446744073709551616.0);
        int rows, cols, start, goal;
        do
        {
            rows = rng.Int(config.MinRows, config.MaxRows);
            cols = rng.Int(config.MinCols, config.MaxCols);
            var cells = rows * cols;
            for (int r = 0, i = 0; r < rows; r++)
                for (var c = 0; c < cols; c++, i++)
                {
                    var cell = rng.NextUInt64() < blockedBelow ? 'X' : 'O';
                    grid[i] = cell;
                    cellText[2 * i] = cell;
                    cellText[2 * i + 1] = c == cols - 1 ? '\n' : ' ';
                }
            start = rng.Int(0, cells - 1);
            do goal = rng.Int(0, cells - 1);
            while (goal == start);
            grid[start] = cellText[2 * start] = '*';
            grid[goal] = cellText[2 * goal] = '#';
        }
        while (!context.Accepts(questionText[..(Instruction.Length + 2 * rows * cols - 1)]));
        var question = new string(questionText[..(Instruction.Length + 2 * rows * cols - 1)]);

        Span<short> path = stackalloc short[rows * cols];
        var length = GridSearch.ShortestPath(grid[..(rows * cols)], rows, cols, start, goal, path);
        // At most "right " per step in the answer, "right (12,30)\n" per step in the trace, plus the answer.
        var answerSize = Math.Max(length, 2) * 6;
        var traceSize = 80 + Math.Max(length, 0) * 16 + answerSize;
        var answer = new SpanText(answerSize <= 1024 ? stackalloc char[answerSize] : new char[answerSize]);
        var trace = new SpanText(traceSize <= 4096 ? stackalloc char[traceSize] : new char[traceSize]);
        trace.Append("Start ");
        Cell(ref trace, start, cols);
        trace.Append(", destination ");
        Cell(ref trace, goal, cols);
        trace.Append('\n');
        if (length < 0)
        {
            answer.Append(Infeasible);
            trace.Append("No path\n");
        }
        else
        {
            var at = start;
            for (var i = 0; i < length; i++)
            {
                var next = path[i];
                var direction = GridSearch.DirectionName(at, next, cols);
                if (i > 0) answer.Append(' ');
                answer.Append(direction);
                trace.Append(direction);
                trace.Append(' ');
                Cell(ref trace, next, cols);
                trace.Append('\n');
                at = next;
            }
            trace.Append("Length ");
            trace.Append(length);
            trace.Append('\n');
        }
        trace.Append("<answer>");
        trace.Append(answer.Written);
        trace.Append("</answer>");

        var rowTexts = new string[rows];
        for (var r = 0; r < rows; r++) rowTexts[r] = new string(grid.Slice(r * cols, cols));
        return context.Item(question, answer.ToString(), new ShortestPathMetadata
        {
            Solution = trace.ToString(),
            Grid = rowTexts,
            Length = length,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, ShortestPathMetadata metadata)
    {
        var text = answer.AsSpan().Trim();
        if (text.Length > 0 && text[^1] == '.') text = text[..^1];
        if (text.Equals(Infeasible, StringComparison.OrdinalIgnoreCase)) return metadata.Length < 0 ? 1.0 : 0.0;
        if (metadata.Length < 0) return 0.0;
        var used = GridSearch.Walk(text, metadata.Grid);
        if (used <= 0) return 0.0;
        return used == metadata.Length ? 1.0 : used > metadata.Length ? 0.5 : 0.0;
    }

    /// <summary>A cell as (row,col), counted from 1.</summary>
    private static void Cell(ref SpanText text, int cell, int cols)
    {
        text.Append('(');
        text.Append(cell / cols + 1);
        text.Append(',');
        text.Append(cell % cols + 1);
        text.Append(')');
    }
}
