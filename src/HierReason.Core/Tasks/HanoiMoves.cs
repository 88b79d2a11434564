namespace HierReason.Core.Tasks;

/// <summary>
/// Reads Tower of Hanoi moves (<c>Move disk d from Peg a to Peg b</c>, one a line, any case, extra
/// spaces and a final period allowed) and replays them on the pegs.
/// </summary>
public static class HanoiMoves
{
    /// <summary>More moves than any answer worth reading (10 disks on 3 pegs take 1,023).</summary>
    private const int MoveLimit = 100_000;

    /// <summary>
    /// The number of moves when every line is a legal move and the tower ends complete on the
    /// target peg; 0 otherwise (an unreadable line, an illegal move, an unsolved tower).
    /// </summary>
    public static int Replay(string answer, int pegs, int disks, int start, int target)
    {
        if (pegs is < 3 or > 4 || disks is < 1 or > 30 || start < 1 || start > pegs || target < 1 || target > pegs)
            return 0;
        // stacks[p * disks + i]: the i-th disk from the bottom of peg p (0-based peg).
        Span<int> stacks = stackalloc int[pegs * disks];
        Span<int> heights = stackalloc int[pegs];
        for (var i = 0; i < disks; i++) stacks[(start - 1) * disks + i] = disks - i;
        heights[start - 1] = disks;

        var moves = 0;
        var text = answer.AsSpan();
        while (text.Length > 0)
        {
            var nl = text.IndexOf('\n');
            var line = (nl < 0 ? text : text[..nl]).Trim();
            text = nl < 0 ? default : text[(nl + 1)..];
            if (line.IsEmpty) continue;
            if (!TryParse(line, out var disk, out var from, out var to)) return 0;
            if (from < 1 || from > pegs || to < 1 || to > pegs || from == to) return 0;
            var f = from - 1;
            var t = to - 1;
            if (heights[f] == 0 || stacks[f * disks + heights[f] - 1] != disk) return 0;
            if (heights[t] > 0 && stacks[t * disks + heights[t] - 1] < disk) return 0;
            heights[f]--;
            stacks[t * disks + heights[t]] = disk;
            heights[t]++;
            if (++moves > MoveLimit) return 0;
        }
        return heights[target - 1] == disks ? moves : 0;
    }

    /// <summary>Parses one line <c>move disk D from peg A to peg B</c> (case-insensitive, optional final period).</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out int disk, out int from, out int to)
    {
        disk = from = to = 0;
        if (line.Length > 0 && line[^1] == '.') line = line[..^1];
        return Word(ref line, "move") && Word(ref line, "disk") && Number(ref line, out disk)
               && Word(ref line, "from") && Word(ref line, "peg") && Number(ref line, out from)
               && Word(ref line, "to") && Word(ref line, "peg") && Number(ref line, out to)
               && line.IsWhiteSpace();
    }

    private static ReadOnlySpan<char> NextToken(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        var end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
        var token = rest[..end];
        rest = rest[end..];
        return token;
    }

    private static bool Word(ref ReadOnlySpan<char> rest, string word)
        => NextToken(ref rest).Equals(word, StringComparison.OrdinalIgnoreCase);

    private static bool Number(ref ReadOnlySpan<char> rest, out int value)
    {
        value = 0;
        var token = NextToken(ref rest);
        if (token.IsEmpty || token.Length > 4) return false;
        foreach (var ch in token)
        {
            if (ch is < '0' or > '9') return false;
            value = value * 10 + (ch - '0');
        }
        return true;
    }
}
