namespace HierReason.Core.Tasks;

/// <summary>
/// A bitmask solver for 4×4 sudoku (2×2 boxes). Cells are 16 bytes, row-major, 0 for a blank and
/// 1–4 for a digit; a unit's mask has bit d−1 set when digit d is placed in it.
/// </summary>
public static class ShidokuSolver
{
    private const int All = 0xF;

    /// <summary>The box (0–3, row-major) of a cell.</summary>
    public static int BoxOf(int row, int col) => (row >> 1) * 2 + (col >> 1);

    /// <summary>
    /// The number of solutions, counting no further than <paramref name="limit"/> (2 answers "is it
    /// unique?"). Inconsistent givens have 0 solutions.
    /// </summary>
    public static int CountSolutions(ReadOnlySpan<byte> cells, int limit = 2)
    {
        Span<byte> work = stackalloc byte[16];
        cells.CopyTo(work);
        Span<int> masks = stackalloc int[12]; // rows 0–3, cols 4–7, boxes 8–11
        for (var i = 0; i < 16; i++)
        {
            if (work[i] == 0) continue;
            int r = i >> 2, c = i & 3, bit = 1 << (work[i] - 1);
            var b = BoxOf(r, c);
            if (((masks[r] | masks[4 + c] | masks[8 + b]) & bit) != 0) return 0;
            masks[r] |= bit;
            masks[4 + c] |= bit;
            masks[8 + b] |= bit;
        }
        var count = 0;
        Search(work, masks, limit, ref count);
        return count;
    }

    private static void Search(Span<byte> cells, Span<int> masks, int limit, ref int count)
    {
        // Branch on the blank with the fewest candidates; a blank with none is a dead end.
        int best = -1, bestCandidates = 0, bestCount = 5;
        for (var i = 0; i < 16; i++)
        {
            if (cells[i] != 0) continue;
            int r = i >> 2, c = i & 3;
            var candidates = All & ~(masks[r] | masks[4 + c] | masks[8 + BoxOf(r, c)]);
            var n = System.Numerics.BitOperations.PopCount((uint)candidates);
            if (n == 0) return;
            if (n < bestCount)
            {
                best = i;
                bestCandidates = candidates;
                bestCount = n;
                if (n == 1) break;
            }
        }
        if (best < 0)
        {
            count++;
            return;
        }
        int br = best >> 2, bc = best & 3, bb = BoxOf(br, bc);
        for (var d = 0; d < 4 && count < limit; d++)
        {
            var bit = 1 << d;
            if ((bestCandidates & bit) == 0) continue;
            cells[best] = (byte)(d + 1);
            masks[br] |= bit;
            masks[4 + bc] |= bit;
            masks[8 + bb] |= bit;
            Search(cells, masks, limit, ref count);
            masks[br] &= ~bit;
            masks[4 + bc] &= ~bit;
            masks[8 + bb] &= ~bit;
        }
        cells[best] = 0;
    }

    /// <summary>
    /// Solves by singles, the way a person would: first a blank whose row, column and box leave one
    /// digit (naked single, in reading order), else a digit with one place left in a unit (hidden
    /// single). Fills <paramref name="steps"/> in solving order and returns how many, or −1 when
    /// singles alone get stuck.
    /// </summary>
    public static int SolveBySingles(ReadOnlySpan<byte> cells, Span<ShidokuStep> steps)
    {
        Span<byte> work = stackalloc byte[16];
        cells.CopyTo(work);
        Span<int> masks = stackalloc int[12];
        var blanks = 0;
        for (var i = 0; i < 16; i++)
        {
            if (work[i] == 0)
            {
                blanks++;
                continue;
            }
            Place(work, masks, i, work[i]);
        }
        var n = 0;
        while (n < blanks)
        {
            if (!NakedSingle(work, masks, out var step) && !HiddenSingle(work, masks, out step)) return -1;
            Place(work, masks, step.Row * 4 + step.Col, step.Digit);
            steps[n++] = step;
        }
        return n;
    }

    private static void Place(Span<byte> cells, Span<int> masks, int i, int digit)
    {
        int r = i >> 2, c = i & 3, bit = 1 << (digit - 1);
        cells[i] = (byte)digit;
        masks[r] |= bit;
        masks[4 + c] |= bit;
        masks[8 + BoxOf(r, c)] |= bit;
    }

    private static bool NakedSingle(ReadOnlySpan<byte> cells, ReadOnlySpan<int> masks, out ShidokuStep step)
    {
        for (var i = 0; i < 16; i++)
        {
            if (cells[i] != 0) continue;
            int r = i >> 2, c = i & 3;
            int row = masks[r], col = masks[4 + c], box = masks[8 + BoxOf(r, c)];
            var candidates = All & ~(row | col | box);
            if (System.Numerics.BitOperations.PopCount((uint)candidates) != 1) continue;
            var digit = System.Numerics.BitOperations.TrailingZeroCount(candidates) + 1;
            // Name the fewest units that exclude the other three digits.
            var reason = Full(row) ? ShidokuReason.Row
                : Full(col) ? ShidokuReason.Col
                : Full(box) ? ShidokuReason.Box
                : Full(row | col) ? ShidokuReason.RowCol
                : Full(row | box) ? ShidokuReason.RowBox
                : Full(col | box) ? ShidokuReason.ColBox
                : ShidokuReason.RowColBox;
            step = new ShidokuStep(r, c, digit, reason);
            return true;
        }
        step = default;
        return false;

        static bool Full(int mask) => System.Numerics.BitOperations.PopCount((uint)mask) == 3;
    }

    private static bool HiddenSingle(ReadOnlySpan<byte> cells, ReadOnlySpan<int> masks, out ShidokuStep step)
    {
        for (var kind = 0; kind < 3; kind++)
            for (var unit = 0; unit < 4; unit++)
                for (var d = 0; d < 4; d++)
                {
                    var bit = 1 << d;
                    if ((masks[kind * 4 + unit] & bit) != 0) continue;
                    int place = -1, places = 0;
                    for (var k = 0; k < 4; k++)
                    {
                        var i = CellOf(kind, unit, k);
                        if (cells[i] != 0) continue;
                        int r = i >> 2, c = i & 3;
                        if (((masks[r] | masks[4 + c] | masks[8 + BoxOf(r, c)]) & bit) != 0) continue;
                        place = i;
                        places++;
                    }
                    if (places != 1) continue;
                    step = new ShidokuStep(place >> 2, place & 3, d + 1,
                        kind == 0 ? ShidokuReason.OnlyInRow : kind == 1 ? ShidokuReason.OnlyInCol : ShidokuReason.OnlyInBox);
                    return true;
                }
        step = default;
        return false;
    }

    /// <summary>The k-th cell (0–3) of a row (kind 0), column (1) or box (2).</summary>
    private static int CellOf(int kind, int unit, int k) => kind switch
    {
        0 => unit * 4 + k,
        1 => k * 4 + unit,
        _ => ((unit >> 1) * 2 + (k >> 1)) * 4 + (unit & 1) * 2 + (k & 1),
    };
}
