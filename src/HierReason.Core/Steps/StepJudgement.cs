using System.Collections.ObjectModel;

namespace HierReason.Core.Steps;

/// <summary>
/// An oracle step checker's judgement of a completion: one verdict per line, the index of the first
/// incorrect line (or null), and, for tasks with a goal to reach, the distance to it after each line.
/// </summary>
public sealed record StepJudgement
{
    /// <param name="verdicts">One verdict per line of the completion, in order.</param>
    /// <param name="distanceToGoal">
    /// Null, or one entry per line: the fewest moves from the position reached after that line to
    /// the goal; null on lines that reach no position (non-steps, steps with no defined position).
    /// </param>
    public StepJudgement(IEnumerable<StepVerdict> verdicts, IEnumerable<int?>? distanceToGoal = null)
    {
        // Copies behind read-only wrappers: a judgement cannot change after it is made.
        var v = verdicts.ToArray();
        Verdicts = Array.AsReadOnly(v);
        FirstError = Array.IndexOf(v, StepVerdict.Incorrect) is var first and >= 0 ? first : null;
        if (distanceToGoal is null) return;
        var d = distanceToGoal.ToArray();
        if (d.Length != v.Length)
            throw new ArgumentException($"{d.Length} distances for {v.Length} verdicts", nameof(distanceToGoal));
        DistanceToGoal = Array.AsReadOnly(d);
    }

    /// <summary>One verdict per line of the completion.</summary>
    public ReadOnlyCollection<StepVerdict> Verdicts { get; }

    /// <summary>The index of the first <see cref="StepVerdict.Incorrect"/> line, or null when there is none.</summary>
    public int? FirstError { get; }

    /// <summary>Per line, the fewest moves left to the goal after it (tower_of_hanoi, shortest_path); null for other tasks.</summary>
    public ReadOnlyCollection<int?>? DistanceToGoal { get; }

    /// <summary>Two judgements are equal when they say the same of every line.</summary>
    public bool Equals(StepJudgement? other)
        => other is not null
           && Verdicts.SequenceEqual(other.Verdicts)
           && (DistanceToGoal is null
               ? other.DistanceToGoal is null
               : other.DistanceToGoal is not null && DistanceToGoal.SequenceEqual(other.DistanceToGoal));

    public override int GetHashCode() => HashCode.Combine(Verdicts.Count, FirstError);

    /// <summary>How many lines got <paramref name="verdict"/>.</summary>
    public int Count(StepVerdict verdict)
    {
        var n = 0;
        foreach (var v in Verdicts)
            if (v == verdict) n++;
        return n;
    }
}
