using System.ComponentModel;
using System.Text;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="TowerOfHanoiTask"/>: how many pegs and disks (defaults as reasoning-gym's).</summary>
public sealed record TowerOfHanoiConfig : TaskConfig
{
    /// <summary>Most disks allowed: 3 pegs and 10 disks is already 1,023 moves.</summary>
    public const int DiskLimit = 10;

    [Description("Fewest pegs (3 or 4).")]
    public int MinPegs { get; init; } = 3;

    [Description("Most pegs (3 or 4).")]
    public int MaxPegs { get; init; } = 4;

    [Description("Fewest disks.")]
    public int MinDisks { get; init; } = 3;

    [Description("Most disks (at most 10).")]
    public int MaxDisks { get; init; } = 7;

    public override void Validate()
    {
        InRange(MinPegs, 3, 4, nameof(MinPegs));
        InRange(MaxPegs, 3, 4, nameof(MaxPegs));
        Ordered(MinPegs, MaxPegs, nameof(MinPegs), nameof(MaxPegs));
        InRange(MinDisks, 1, DiskLimit, nameof(MinDisks));
        InRange(MaxDisks, 1, DiskLimit, nameof(MaxDisks));
        Ordered(MinDisks, MaxDisks, nameof(MinDisks), nameof(MaxDisks));
    }
}

/// <summary>What a Tower of Hanoi item needs for scoring: the puzzle and its optimal move count.</summary>
public sealed record TowerOfHanoiMetadata : TaskMetadata
{
    public required int Pegs { get; init; }
    public required int Disks { get; init; }

    /// <summary>The peg every disk starts on (1-based).</summary>
    public required int StartPeg { get; init; }

    /// <summary>The peg every disk must end on (1-based).</summary>
    public required int TargetPeg { get; init; }

    public required int OptimalMoves { get; init; }
}

/// <summary>
/// Move a stack of disks from one peg to another, one disk at a time, never a larger disk on a
/// smaller one. The answer is one move per line, <c>Move disk 1 from Peg 1 to Peg 3</c>. Scoring
/// simulates the moves: an unreadable line or an illegal move scores 0; legal moves that leave the
/// tower anywhere but complete on the target peg score 0; a solution of m moves scores optimal/m
/// (1 when optimal).
/// </summary>
public sealed class TowerOfHanoiTask : ReasoningTask<TowerOfHanoiConfig, TowerOfHanoiMetadata>
{
    public override string Name => "tower_of_hanoi";

    public override string Description => "Solve the Tower of Hanoi with 3 or 4 pegs in the fewest moves.";

    // A puzzle is only (pegs, disks, start, target), so the easy levels have few questions: level 0
    // has 12, which the splits share out as 7 train, 2 validation and 3 test.
    protected override IEnumerable<TowerOfHanoiConfig> DifficultyLevels() =>
    [
        new() { MinPegs = 3, MaxPegs = 3, MinDisks = 2, MaxDisks = 3 },
        new() { MinPegs = 3, MaxPegs = 4, MinDisks = 3, MaxDisks = 4 },
        new() { MinPegs = 3, MaxPegs = 4, MinDisks = 3, MaxDisks = 5 },
        new() { MinPegs = 3, MaxPegs = 4, MinDisks = 3, MaxDisks = 7 },
    ];

    protected override TaskItem Generate(TowerOfHanoiConfig config, ItemContext context)
    {
        var rng = context.Rng;
        int pegs, disks, start, target;
        string question;
        do
        {
            pegs = rng.Int(config.MinPegs, config.MaxPegs);
            disks = rng.Int(config.MinDisks, config.MaxDisks);
            start = rng.Int(1, pegs);
            do target = rng.Int(1, pegs);
            while (target == start);
            question = Question(pegs, disks, start, target);
        }
        while (!context.Accepts(question));

        var optimal = HanoiSolver.OptimalMoves(pegs, disks);
        var moves = new StringBuilder(optimal * 32);
        HanoiSolver.Solve(pegs, disks, start, target, moves);
        var answer = moves.ToString();
        var trace = string.Concat("Optimal: ", Answers.NumericAnswer.Format(optimal), " moves\n<answer>", answer, "</answer>");

        return context.Item(question, answer, new TowerOfHanoiMetadata
        {
            Solution = trace,
            Pegs = pegs,
            Disks = disks,
            StartPeg = start,
            TargetPeg = target,
            OptimalMoves = optimal,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, TowerOfHanoiMetadata metadata)
    {
        var used = HanoiMoves.Replay(answer, metadata.Pegs, metadata.Disks, metadata.StartPeg, metadata.TargetPeg);
        return used <= 0 ? 0.0 : Math.Min(1.0, (double)metadata.OptimalMoves / used);
    }

    private static string Question(int pegs, int disks, int start, int target)
        => new StringBuilder(320)
            .Append("Solve the Tower of Hanoi with ").Append(disks).Append(" disks and ").Append(pegs)
            .Append(" pegs. Disks are numbered 1 (smallest) to ").Append(disks)
            .Append(" and all start on Peg ").Append(start).Append(". Move them all to Peg ").Append(target)
            .Append(", one disk at a time, never a larger disk on a smaller one, in the fewest moves. ")
            .Append("Give one move per line, like: Move disk 1 from Peg 1 to Peg 3")
            .ToString();
}
