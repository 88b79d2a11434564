using System.Text;
using System.Text.RegularExpressions;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

public partial class TowerOfHanoiStepCheckerTests
{
    [GeneratedRegex(@"Move disk (\d+) from Peg (\d+) to Peg (\d+)")]
    private static partial Regex MoveText();

    [Fact]
    public void Gold_traces_of_every_level_are_all_legal_and_each_move_brings_the_goal_one_closer()
    {
        foreach (var (level, item) in StepTestItems.EveryLevel("tower_of_hanoi"))
        {
            var m = (TowerOfHanoiMetadata)item.Metadata;
            var j = StepTestItems.Judge(item, item.Solution);
            Assert.True(j.FirstError is null, $"{item.Id} (level {level}): error at line {j.FirstError}");
            Assert.Equal(m.OptimalMoves, j.Count(StepVerdict.Correct));
            Assert.Equal(StepVerdict.Neutral, j.Verdicts[0]); // "Optimal: N moves"
            // Line 0 is the "Optimal" line; move k (from 1) is line k and leaves optimal − k to go.
            for (var k = 1; k <= m.OptimalMoves; k++)
                Assert.Equal(m.OptimalMoves - k, j.DistanceToGoal![k]);
            Assert.Null(j.DistanceToGoal![0]);
        }
    }

    [Fact]
    public void An_illegal_change_to_one_move_is_an_error_exactly_there_and_later_moves_are_neutral()
    {
        foreach (var (_, item) in StepTestItems.EveryLevel("tower_of_hanoi"))
        {
            var meta = (TowerOfHanoiMetadata)item.Metadata;
            var gold = StepLines.Split(item.Solution);
            var line = 1 + StepTestItems.Pick(item, meta.OptimalMoves);
            var mv = MoveText().Match(gold[line]);
            int disk = int.Parse(mv.Groups[1].Value), from = int.Parse(mv.Groups[2].Value), to = int.Parse(mv.Groups[3].Value);
            // Each change makes the gold (legal) move illegal: another disk is not on top of `from`
            // (the gold disk is), the gold disk is not on any other peg, and a move must change peg.
            var kind = meta.Disks > 1 ? StepTestItems.Pick(item, 3, salt: 1) : 1 + StepTestItems.Pick(item, 2, salt: 1);
            (disk, from, to) = kind switch
            {
                0 => (disk % meta.Disks + 1, from, to),
                1 => (disk, from % meta.Pegs + 1, to),
                _ => (disk, from, from),
            };
            var corrupted = (string[])gold.Clone();
            corrupted[line] = gold[line].Replace(mv.Value, $"Move disk {disk} from Peg {from} to Peg {to}");
            var j = StepTestItems.AssertFirstErrorAt(item, gold, corrupted, line);
            Assert.Null(j.DistanceToGoal![line]);
            for (var later = line + 1; later < corrupted.Length; later++)
            {
                Assert.Equal(StepVerdict.Neutral, j.Verdicts[later]);
                Assert.Null(j.DistanceToGoal[later]);
            }
        }
    }

    private static TaskItem Item(int pegs, int disks, int start, int target) => new("tower_of_hanoi/hand", "tower_of_hanoi", "q", "a", new TowerOfHanoiMetadata
    {
        Pegs = pegs,
        Disks = disks,
        StartPeg = start,
        TargetPeg = target,
        OptimalMoves = HanoiSolver.OptimalMoves(pegs, disks),
    });

    [Fact]
    public void A_move_onto_a_smaller_disk_is_incorrect_and_what_follows_is_neutral()
    {
        var j = StepTestItems.Judge(Item(3, 3, 1, 3), string.Join('\n',
            "Move disk 1 from Peg 1 to Peg 3",
            "Move disk 2 from Peg 1 to Peg 3",   // onto disk 1
            "Move disk 2 from Peg 1 to Peg 2"));  // legal from the real position, but after an illegal move
        Assert.Equal([StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Neutral], j.Verdicts);
        Assert.Equal(1, j.FirstError);
        Assert.Equal([6, null, null], j.DistanceToGoal!);
    }

    [Fact]
    public void Moving_a_covered_disk_an_absent_disk_or_to_a_missing_peg_is_incorrect()
    {
        var item = Item(3, 3, 1, 3);
        foreach (var move in new[]
                 {
                     "Move disk 2 from Peg 1 to Peg 3", // disk 1 is on it
                     "Move disk 1 from Peg 2 to Peg 3", // disk 1 is on peg 1
                     "Move disk 4 from Peg 1 to Peg 3", // there are 3 disks
                     "Move disk 1 from Peg 1 to Peg 4", // there are 3 pegs
                     "Move disk 1 from Peg 1 to Peg 1",
                 })
            Assert.Equal([StepVerdict.Incorrect], StepTestItems.Judge(item, move).Verdicts);
    }

    [Fact]
    public void A_legal_but_wasteful_move_is_correct_and_its_distance_shows_the_waste()
    {
        // Two disks from peg 1 to peg 3: the optimal first move is disk 1 to peg 2 (then 2 moves
        // remain); disk 1 to peg 3 is legal but leaves 3 (disk 1 away, disk 2 over, disk 1 back).
        var item = Item(3, 2, 1, 3);
        Assert.Equal([2], StepTestItems.Judge(item, "Move disk 1 from Peg 1 to Peg 2").DistanceToGoal!);
        var j = StepTestItems.Judge(item, "Move disk 1 from Peg 1 to Peg 3");
        Assert.Equal([StepVerdict.Correct], j.Verdicts);
        Assert.Equal([3], j.DistanceToGoal!);
    }

    [Fact]
    public void Moves_are_read_as_the_verifier_reads_them_and_prose_is_neutral()
    {
        var j = StepTestItems.Judge(Item(3, 2, 1, 3), string.Join('\n',
            "Optimal: 3 moves",
            "<answer>  move DISK 1 from peg 1 to peg 2.",
            "Move the big disk next",
            "Move disk 2 from Peg 1 to Peg 3",
            "Move disk 1 from Peg 2 to Peg 3</answer>"));
        Assert.Equal([StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Correct], j.Verdicts);
        Assert.Equal([null, 2, null, 1, 0], j.DistanceToGoal!);
    }

    [Theory]
    [InlineData(3, 10)]
    [InlineData(4, 10)]
    public void The_largest_puzzles_count_down_from_the_optimum_along_the_solver_moves(int pegs, int disks)
    {
        var moves = new StringBuilder();
        HanoiSolver.Solve(pegs, disks, 2, 1, moves);
        var j = StepTestItems.Judge(Item(pegs, disks, 2, 1), moves.ToString());
        var optimal = HanoiSolver.OptimalMoves(pegs, disks);
        Assert.Equal(optimal, j.Verdicts.Count);
        for (var k = 0; k < optimal; k++) Assert.Equal(optimal - k - 1, j.DistanceToGoal![k]);
    }

    [Fact]
    public void Distances_on_three_pegs_match_the_closed_form_along_random_legal_walks()
    {
        var random = new Random(5);
        for (var disks = 1; disks <= 6; disks++)
        {
            var (start, target) = (1 + random.Next(3), 0);
            do target = 1 + random.Next(3);
            while (target == start);
            var peg = Enumerable.Repeat(start - 1, disks + 1).ToArray();
            var lines = new List<string>();
            var expected = new List<int?>();
            for (var step = 0; step < 200; step++)
            {
                // A random legal move: the top disk of a random non-empty peg onto a peg whose top is larger.
                var legal = new List<(int Disk, int From, int To)>();
                for (var from = 0; from < 3; from++)
                    for (var to = 0; to < 3; to++)
                    {
                        int top = Top(peg, disks, from), onto = Top(peg, disks, to);
                        if (from != to && top > 0 && (onto == 0 || onto > top)) legal.Add((top, from, to));
                    }
                var mv = legal[random.Next(legal.Count)];
                peg[mv.Disk] = mv.To;
                lines.Add($"Move disk {mv.Disk} from Peg {mv.From + 1} to Peg {mv.To + 1}");
                expected.Add(ThreePegDistance(peg, disks, target - 1));
            }
            var j = StepTestItems.Judge(Item(3, disks, start, target), lines);
            Assert.Null(j.FirstError);
            Assert.Equal(expected, j.DistanceToGoal!);
        }
    }

    /// <summary>The smallest disk on a peg, 0 when it is empty.</summary>
    private static int Top(int[] peg, int disks, int p)
    {
        for (var d = 1; d <= disks; d++)
            if (peg[d] == p) return d;
        return 0;
    }

    /// <summary>
    /// The classic 3-peg distance to a complete tower: the largest disk off its target peg must move
    /// once, after the disks above it gather on the third peg (2^(d−1) − 1 moves), so it costs 2^(d−1).
    /// </summary>
    private static int ThreePegDistance(int[] peg, int disks, int target)
    {
        var distance = 0;
        for (var d = disks; d >= 1; d--)
        {
            if (peg[d] == target) continue;
            distance += 1 << (d - 1);
            target = 3 - peg[d] - target;
        }
        return distance;
    }

    [Fact]
    public void Malformed_metadata_is_a_user_error_naming_the_item_and_field()
    {
        var e = Assert.Throws<HierReasonException>(() => StepTestItems.Judge(Item(3, 2, 1, 3) with
        {
            Metadata = new TowerOfHanoiMetadata { Pegs = 3, Disks = 11, StartPeg = 1, TargetPeg = 3, OptimalMoves = 2047 },
        }, "Move disk 1 from Peg 1 to Peg 3"));
        Assert.Contains("tower_of_hanoi/hand", e.Message);
        Assert.Contains("metadata.disks", e.Message);
    }
}
