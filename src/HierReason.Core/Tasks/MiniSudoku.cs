using System.ComponentModel;
using System.Text;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="MiniSudokuTask"/>: how many of the 16 cells are blank.</summary>
public sealed record MiniSudokuConfig : TaskConfig
{
    /// <summary>
    /// Most blanks a unique 4×4 puzzle can have: the fewest givens that pin down a solution is 4,
    /// and removing cells at random reaches 12 blanks often enough to generate quickly.
    /// </summary>
    public const int BlankLimit = 12;

    [Description("Fewest blank cells (of 16).")]
    public int MinEmpty { get; init; } = 8;

    [Description("Most blank cells (at most 12, so the solution stays unique).")]
    public int MaxEmpty { get; init; } = 12;

    public override void Validate()
    {
        InRange(MinEmpty, 1, BlankLimit, nameof(MinEmpty));
        InRange(MaxEmpty, 1, BlankLimit, nameof(MaxEmpty));
        Ordered(MinEmpty, MaxEmpty, nameof(MinEmpty), nameof(MaxEmpty));
    }
}

/// <summary>What a mini sudoku item needs for scoring: the puzzle and its unique solution.</summary>
public sealed record MiniSudokuMetadata : TaskMetadata
{
    /// <summary>The 16 cells row by row, <c>_</c> for a blank.</summary>
    public required string Puzzle { get; init; }

    /// <summary>The unique solution, 16 digits row by row.</summary>
    public required string Filled { get; init; }

    public required int Blanks { get; init; }
}

/// <summary>
/// Solve a 4×4 sudoku (2×2 boxes) with a unique solution. The answer is the grid, four rows of four
/// digits. Scoring: the solution scores 1. A grid that keeps every given but is wrong somewhere
/// earns partial credit, 0.5 × (blanks filled correctly / blanks), always below 0.5; a grid that
/// changes a given, has a digit outside 1–4 or does not have 16 cells scores 0.
/// </summary>
public sealed class MiniSudokuTask : ReasoningTask<MiniSudokuConfig, MiniSudokuMetadata>
{
    private const string Instruction =
        "Fill the blanks (_) so every row, column and 2x2 box holds 1, 2, 3 and 4. Answer with the full grid, 4 rows of 4 digits.\n";

    private static readonly byte[] BaseA = Grid("1234341223414123"); // one of the two kinds of 4×4 grid (192 grids)
    private static readonly byte[] BaseB = Grid("1234341221434321"); // the other kind (96 grids)

    public override string Name => "mini_sudoku";

    public override string Description => "Solve a 4x4 sudoku with 2x2 boxes.";

    protected override IEnumerable<MiniSudokuConfig> DifficultyLevels() =>
    [
        new() { MinEmpty = 4, MaxEmpty = 6 },
        new() { MinEmpty = 6, MaxEmpty = 8 },
        new() { MinEmpty = 8, MaxEmpty = 10 },
        new() { MinEmpty = 8, MaxEmpty = 12 },
    ];

    protected override TaskItem Generate(MiniSudokuConfig config, ItemContext context)
    {
        var rng = context.Rng;
        Span<byte> solved = stackalloc byte[16];
        Span<byte> puzzle = stackalloc byte[16];
        Span<ShidokuStep> steps = stackalloc ShidokuStep[16];
        int blanks, stepCount = -1;
        string question;
        bool accepted;
        do
        {
            RandomGrid(rng, solved);
            blanks = rng.Int(config.MinEmpty, config.MaxEmpty);
            var tries = 0;
            while (!RemoveCells(rng, solved, puzzle, blanks) && ++tries < 16) { }
            if (tries == 16)
            {
                accepted = false;
                question = "";
                continue;
            }
            question = Question(puzzle);
            // Keep puzzles that singles solve, so every trace is a chain of deductions, never a guess.
            // (Solving after the split check spares the work on draws the split turns away.)
            accepted = context.Accepts(question) && (stepCount = ShidokuSolver.SolveBySingles(puzzle, steps)) >= 0;
        }
        while (!accepted);

        var answer = GridText(solved);
        var trace = new StringBuilder(stepCount * 24 + 48);
        foreach (var s in steps[..stepCount])
            trace.Append('r').Append(s.Row + 1).Append('c').Append(s.Col + 1).Append(" = ").Append(s.Digit)
                 .Append(" (").Append(ReasonText(s.Reason)).Append(")\n");
        trace.Append("<answer>\n").Append(answer).Append("\n</answer>");

        return context.Item(question, answer, new MiniSudokuMetadata
        {
            Solution = trace.ToString(),
            Puzzle = Cells(puzzle),
            Filled = Cells(solved),
            Blanks = blanks,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, MiniSudokuMetadata metadata)
    {
        var puzzle = metadata.Puzzle;
        var filled = metadata.Filled;
        if (puzzle.Length != 16 || filled.Length != 16) return 0.0;
        Span<char> cells = stackalloc char[16];
        if (!TryReadGrid(answer, cells)) return 0.0;
        int blanks = 0, right = 0;
        for (var i = 0; i < 16; i++)
        {
            if (puzzle[i] != '_')
            {
                if (cells[i] != puzzle[i]) return 0.0;
                continue;
            }
            blanks++;
            if (cells[i] == filled[i]) right++;
        }
        if (right == blanks) return 1.0;
        return 0.5 * right / blanks;
    }

    /// <summary>
    /// Reads 16 cells: digits 1–4, and <c>_</c>, <c>.</c> or <c>0</c> for a cell left blank; spaces,
    /// newlines, commas, bars and brackets separate. Anything else, or a count other than 16, is unreadable.
    /// </summary>
    private static bool TryReadGrid(string answer, Span<char> cells)
    {
        var n = 0;
        foreach (var ch in answer)
        {
            switch (ch)
            {
                case >= '1' and <= '4':
                case '_' or '.' or '0':
                    if (n == 16) return false;
                    cells[n++] = ch;
                    break;
                case ' ' or '\t' or '\r' or '\n' or ',' or '|' or '[' or ']':
                    break;
                default:
                    return false;
            }
        }
        return n == 16;
    }

    /// <summary>A full grid from one of the two base grids by symmetries that keep it a sudoku.</summary>
    private static void RandomGrid(TaskRng rng, Span<byte> grid)
    {
        // Each symmetry draw is uniform over its base grid's class; picking the classes 2:1 makes all 288 grids equally likely.
        var source = rng.Int(0, 2) < 2 ? BaseA : BaseB;
        Span<int> digits = [1, 2, 3, 4];
        for (var i = 3; i > 0; i--)
        {
            var j = rng.Int(0, i);
            (digits[i], digits[j]) = (digits[j], digits[i]);
        }
        Span<int> rows = stackalloc int[4];
        Span<int> cols = stackalloc int[4];
        BandOrder(rng, rows);
        BandOrder(rng, cols);
        var transpose = rng.Bool();
        for (var r = 0; r < 4; r++)
            for (var c = 0; c < 4; c++)
            {
                var (sr, sc) = transpose ? (cols[c], rows[r]) : (rows[r], cols[c]);
                grid[r * 4 + c] = (byte)digits[source[sr * 4 + sc] - 1];
            }
    }

    /// <summary>A random order of rows (or columns): the two bands in either order, each band's two lines in either order.</summary>
    private static void BandOrder(TaskRng rng, Span<int> order)
    {
        var first = rng.Int(0, 1) * 2;
        var second = 2 - first;
        var a = rng.Int(0, 1);
        var b = rng.Int(0, 1);
        order[0] = first + a;
        order[1] = first + 1 - a;
        order[2] = second + b;
        order[3] = second + 1 - b;
    }

    /// <summary>Blanks cells in random order while the solution stays unique; false when it gets stuck short of the target.</summary>
    private static bool RemoveCells(TaskRng rng, ReadOnlySpan<byte> solved, Span<byte> puzzle, int blanks)
    {
        solved.CopyTo(puzzle);
        Span<int> order = stackalloc int[16];
        for (var i = 0; i < 16; i++) order[i] = i;
        for (var i = 15; i > 0; i--)
        {
            var j = rng.Int(0, i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var removed = 0;
        foreach (var cell in order)
        {
            var digit = puzzle[cell];
            puzzle[cell] = 0;
            // Two different grids differ in at least 4 cells, so up to 3 blanks need no check.
            if (removed >= 3 && ShidokuSolver.CountSolutions(puzzle) != 1) puzzle[cell] = digit;
            else if (++removed == blanks) return true;
        }
        return false;
    }

    private static string Question(ReadOnlySpan<byte> puzzle)
    {
        Span<char> text = stackalloc char[Instruction.Length + 31];
        Instruction.AsSpan().CopyTo(text);
        WriteGrid(text[Instruction.Length..], puzzle);
        return new string(text);
    }

    private static string GridText(ReadOnlySpan<byte> grid)
    {
        Span<char> text = stackalloc char[31];
        WriteGrid(text, grid);
        return new string(text);
    }

    /// <summary>Four rows of four cells, a space between cells and a newline between rows: 31 characters.</summary>
    private static void WriteGrid(Span<char> text, ReadOnlySpan<byte> grid)
    {
        for (var i = 0; i < 16; i++)
        {
            text[2 * i] = grid[i] == 0 ? '_' : (char)('0' + grid[i]);
            if (i < 15) text[2 * i + 1] = (i & 3) == 3 ? '\n' : ' ';
        }
    }

    private static string Cells(ReadOnlySpan<byte> grid)
    {
        Span<char> text = stackalloc char[16];
        for (var i = 0; i < 16; i++) text[i] = grid[i] == 0 ? '_' : (char)('0' + grid[i]);
        return new string(text);
    }

    private static byte[] Grid(string digits)
    {
        var g = new byte[16];
        for (var i = 0; i < 16; i++) g[i] = (byte)(digits[i] - '0');
        return g;
    }

    private static string ReasonText(ShidokuReason reason) => reason switch
    {
        ShidokuReason.Row => "row",
        ShidokuReason.Col => "col",
        ShidokuReason.Box => "box",
        ShidokuReason.RowCol => "row col",
        ShidokuReason.RowBox => "row box",
        ShidokuReason.ColBox => "col box",
        ShidokuReason.RowColBox => "row col box",
        ShidokuReason.OnlyInRow => "only place in row",
        ShidokuReason.OnlyInCol => "only place in col",
        _ => "only place in box",
    };
}
