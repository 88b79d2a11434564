using System.Text;

namespace HierReason.Core.Tasks;

/// <summary>
/// Optimal Tower of Hanoi solutions for 3 pegs (2^n − 1 moves) and 4 pegs (Frame–Stewart), written
/// as the answer lines <c>Move disk d from Peg a to Peg b</c>.
/// </summary>
public static class HanoiSolver
{
    private const int MaxDisks = 64;

    // Frame–Stewart for 4 pegs: park the top k disks on a spare peg (4 pegs), move the other n − k
    // with 3 pegs, then bring the k back (4 pegs). The best k is found by DP over n. Frame–Stewart's
    // count is the true optimum for 4 pegs (Bousch 2014), so the scorer may treat it as the minimum.
    private static readonly long[] FourPegMoves = new long[MaxDisks + 1];
    private static readonly int[] FourPegSplit = new int[MaxDisks + 1];

    static HanoiSolver()
    {
        FourPegMoves[1] = 1;
        for (var n = 2; n <= MaxDisks; n++)
        {
            var best = long.MaxValue;
            for (var k = 1; k < n; k++)
            {
                var threePeg = n - k >= 63 ? long.MaxValue / 4 : (1L << (n - k)) - 1;
                var moves = 2 * FourPegMoves[k] + threePeg;
                if (moves < best)
                {
                    best = moves;
                    FourPegSplit[n] = k;
                }
            }
            FourPegMoves[n] = best;
        }
    }

    /// <summary>The fewest moves that solve <paramref name="disks"/> disks on 3 or 4 pegs.</summary>
    public static int OptimalMoves(int pegs, int disks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(disks, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(disks, 30);
        return pegs switch
        {
            3 => (1 << disks) - 1,
            4 => (int)FourPegMoves[disks],
            _ => throw new ArgumentOutOfRangeException(nameof(pegs), pegs, "3 or 4 pegs"),
        };
    }

    /// <summary>The Frame–Stewart split: how many top disks a 4-peg solution of n disks parks first.</summary>
    public static int FourPegSplitOf(int disks) => FourPegSplit[disks];

    /// <summary>Appends an optimal solution, one move per line (no trailing newline).</summary>
    public static void Solve(int pegs, int disks, int from, int to, StringBuilder moves)
    {
        if (pegs == 3)
            Three(1, disks, from, to, 6 - from - to, moves);
        else
        {
            Span<int> spares = stackalloc int[2];
            var s = 0;
            for (var p = 1; p <= 4; p++)
                if (p != from && p != to) spares[s++] = p;
            Four(1, disks, from, to, spares[0], spares[1], moves);
        }
    }

    // Moves disks top..bottom (1 is the smallest) from one peg to another using one spare.
    private static void Three(int top, int bottom, int from, int to, int spare, StringBuilder moves)
    {
        if (top > bottom) return;
        Three(top, bottom - 1, from, spare, to, moves);
        Move(bottom, from, to, moves);
        Three(top, bottom - 1, spare, to, from, moves);
    }

    private static void Four(int top, int bottom, int from, int to, int spare1, int spare2, StringBuilder moves)
    {
        var n = bottom - top + 1;
        if (n <= 0) return;
        if (n == 1)
        {
            Move(top, from, to, moves);
            return;
        }
        var k = FourPegSplit[n];
        Four(top, top + k - 1, from, spare1, spare2, to, moves);
        Three(top + k, bottom, from, to, spare2, moves);
        Four(top, top + k - 1, spare1, to, from, spare2, moves);
    }

    private static void Move(int disk, int from, int to, StringBuilder moves)
    {
        if (moves.Length > 0) moves.Append('\n');
        moves.Append("Move disk ").Append(disk).Append(" from Peg ").Append(from).Append(" to Peg ").Append(to);
    }
}
