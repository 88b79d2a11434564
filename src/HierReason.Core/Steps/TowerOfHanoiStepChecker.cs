using System.Collections.Concurrent;
using HierReason.Core.Tasks;

namespace HierReason.Core.Steps;

/// <summary>
/// Judges tower_of_hanoi steps. A step is a line the verifier reads as a move (<c>Move disk d from
/// Peg a to Peg b</c>, see <see cref="HanoiMoves.TryParse"/>), wherever it stands: the gold trace
/// writes its moves inside the answer, so the answer tags around a line are ignored. A move is
/// Correct when it is legal from the position the earlier moves reached, and its distance to goal is
/// the fewest moves that remain after it (exact, for 3 and 4 pegs). An illegal move is Incorrect;
/// every move after it is Neutral with no distance, because the position it was written for never
/// existed (a caller wanting Math-Shepherd labels counts everything from FirstError on as wrong).
/// Lines that are not readable moves are Neutral.
/// </summary>
public sealed class TowerOfHanoiStepChecker : StepChecker<TowerOfHanoiMetadata>
{
    // Distances depend only on (pegs, disks, target) and take a search over up to 4^10 positions,
    // so each table is built once per checker and shared by every item that needs it.
    private readonly ConcurrentDictionary<(int Pegs, int Disks, int Target), short[]> _distances = new();

    public override string Task => "tower_of_hanoi";

    protected override bool HasDistance => true;

    protected override void Judge(TaskItem item, TowerOfHanoiMetadata metadata, IReadOnlyList<string?> lines, Span<StepVerdict> verdicts, Span<int?> distances)
    {
        var (pegs, disks) = (metadata.Pegs, metadata.Disks);
        if (pegs is < 3 or > 4) throw Malformed(item, "pegs", "3 or 4");
        if (disks < 1 || disks > TowerOfHanoiConfig.DiskLimit) throw Malformed(item, "disks", $"1 to {TowerOfHanoiConfig.DiskLimit}");
        if (metadata.StartPeg < 1 || metadata.StartPeg > pegs) throw Malformed(item, "start_peg", $"a peg from 1 to {pegs}");
        if (metadata.TargetPeg < 1 || metadata.TargetPeg > pegs) throw Malformed(item, "target_peg", $"a peg from 1 to {pegs}");
        var toGoal = _distances.GetOrAdd((pegs, disks, metadata.TargetPeg - 1), k => HanoiDistances.Build(k.Pegs, k.Disks, k.Target));
        var place = HanoiDistances.Powers(pegs, disks);

        // peg[d]: the peg (from 0) disk d is on; position: its index in the distance table.
        Span<int> peg = stackalloc int[disks + 1];
        peg.Fill(metadata.StartPeg - 1);
        var position = 0;
        for (var d = 1; d <= disks; d++) position += (metadata.StartPeg - 1) * place[d - 1];

        var broken = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!HanoiMoves.TryParse(StepLines.Content(lines[i]), out var disk, out var from, out var to) || broken) continue;
            if (!IsLegal(peg, pegs, disks, disk, from - 1, to - 1))
            {
                verdicts[i] = StepVerdict.Incorrect;
                broken = true;
                continue;
            }
            peg[disk] = to - 1;
            position += (to - from) * place[disk - 1];
            verdicts[i] = StepVerdict.Correct;
            distances[i] = toGoal[position];
        }
    }

    /// <summary>The disk exists and is the top of its peg, the pegs exist and differ, and no smaller disk sits on the target peg.</summary>
    private static bool IsLegal(ReadOnlySpan<int> peg, int pegs, int disks, int disk, int from, int to)
    {
        if (disk < 1 || disk > disks || from < 0 || from >= pegs || to < 0 || to >= pegs || from == to) return false;
        if (peg[disk] != from) return false;
        for (var smaller = 1; smaller < disk; smaller++)
            if (peg[smaller] == from || peg[smaller] == to) return false;
        return true;
    }
}
