using HierReason.Core.Tasks;

namespace HierReason.Core.Steps;

/// <summary>
/// Judges mini_sudoku steps. A step is a line that fills a cell, <c>r2c3 = 4</c> (any case, any
/// spacing, anything after the digit such as the gold trace's <c>(row col)</c> reason ignored). It is
/// Correct when the digit is the unique solution's digit for that cell, and Incorrect otherwise,
/// including a cell outside the 4×4 grid. Restating a given with its own digit is Correct. The
/// reason is not judged, and the grid in the answer is the verifier's.
/// </summary>
public sealed class MiniSudokuStepChecker : StepChecker<MiniSudokuMetadata>
{
    public override string Task => "mini_sudoku";

    protected override void Judge(TaskItem item, MiniSudokuMetadata metadata, IReadOnlyList<string?> lines, Span<StepVerdict> verdicts, Span<int?> distances)
    {
        var solution = metadata.Filled;
        if (solution is null || solution.Length != 16 || solution.AsSpan().ContainsAnyExceptInRange('1', '4'))
            throw Malformed(item, "filled", "16 digits from 1 to 4");
        var answer = new AnswerLines();
        for (var i = 0; i < lines.Count; i++)
        {
            if (answer.Covers(lines[i]) || !TryReadFill(StepLines.Content(lines[i]), out var row, out var col, out var digit)) continue;
            var correct = row is >= 1 and <= 4 && col is >= 1 and <= 4 && digit == solution[(int)((row - 1) * 4 + col - 1)] - '0';
            verdicts[i] = correct ? StepVerdict.Correct : StepVerdict.Incorrect;
        }
    }

    /// <summary>Reads <c>rR cC = D</c>; a number too large for a long reads as null, which matches no cell or digit.</summary>
    private static bool TryReadFill(ReadOnlySpan<char> text, out long? row, out long? col, out long? digit)
    {
        var reader = new StepReader(text);
        row = col = digit = null;
        return reader.Word("r") && reader.Digits(out row)
               && reader.Word("c") && reader.Digits(out col)
               && reader.Char('=') && reader.Integer(out digit);
    }
}
