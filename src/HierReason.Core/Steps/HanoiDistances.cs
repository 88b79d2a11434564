namespace HierReason.Core.Steps;

/// <summary>
/// The fewest moves from every Tower of Hanoi position to the complete tower on one peg, by a
/// breadth-first search out of the goal (moves are reversible, so distance from the goal is
/// distance to it). Exact for 3 and 4 pegs alike, where no closed form covers every position.
/// A position is indexed Σ peg(d)·pegs^(d−1) over disks d = 1 (smallest) … n, pegs counted from 0.
/// </summary>
internal static class HanoiDistances
{
    /// <summary>pegs^disks positions: 4^10 ≈ 1M for the largest puzzle a config allows.</summary>
    public static short[] Build(int pegs, int disks, int target)
    {
        var place = Powers(pegs, disks);
        var count = place[disks];
        var distance = new short[count];
        Array.Fill(distance, (short)-1);
        var queue = new int[count];
        var goal = 0;
        for (var d = 1; d <= disks; d++) goal += target * place[d - 1];
        distance[goal] = 0;
        int head = 0, tail = 0;
        queue[tail++] = goal;
        Span<int> top = stackalloc int[pegs];
        while (head < tail)
        {
            var at = queue[head++];
            // The top disk of each peg is the smallest disk on it; int.MaxValue marks an empty peg.
            top.Fill(int.MaxValue);
            var rest = at;
            for (var d = 1; d <= disks; d++, rest /= pegs)
            {
                var p = rest % pegs;
                if (top[p] == int.MaxValue) top[p] = d;
            }
            for (var from = 0; from < pegs; from++)
            {
                var disk = top[from];
                if (disk == int.MaxValue) continue;
                for (var to = 0; to < pegs; to++)
                {
                    if (to == from || top[to] < disk) continue;
                    var next = at + (to - from) * place[disk - 1];
                    if (distance[next] >= 0) continue;
                    distance[next] = (short)(distance[at] + 1);
                    queue[tail++] = next;
                }
            }
        }
        return distance;
    }

    /// <summary>place[k] = pegs^k, for k = 0 … disks.</summary>
    public static int[] Powers(int pegs, int disks)
    {
        var place = new int[disks + 1];
        place[0] = 1;
        for (var k = 1; k <= disks; k++) place[k] = place[k - 1] * pegs;
        return place;
    }
}
