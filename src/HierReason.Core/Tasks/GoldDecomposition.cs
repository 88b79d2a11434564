namespace HierReason.Core.Tasks;

/// <summary>
/// Metadata of a task whose items split into independent sub-problems: the planner/worker strategy's gold plans, its
/// exact combine and the <c>coverage</c> reward read it. A method, not a property, so it never enters the item's JSON.
/// </summary>
public interface IDecomposable
{
    GoldDecomposition Decompose();
}

/// <summary>An item's independent sub-problems, in order, and how their answers combine into its answer.</summary>
public sealed record GoldDecomposition(IReadOnlyList<SubProblem> Subproblems, CombineOperation Combine)
{
    /// <summary>The item's gold decomposition, or null when its task defines none.</summary>
    public static GoldDecomposition? Of(TaskItem item) => (item.Metadata as IDecomposable)?.Decompose();

    /// <summary>Whether the gold plan splits the item (a single sub-problem is the question itself: solved directly).</summary>
    public bool Splits => Subproblems.Count > 1;
}

/// <summary>How <see cref="CombineOperation"/>s apply to answers.</summary>
public static class CombineOperations
{
    /// <summary>
    /// The combined answer of <paramref name="answers"/>: their sum, the larger minus the smaller of two, or the product
    /// of two; null when the count does not fit the operation (a difference or product needs exactly two) or on overflow.
    /// </summary>
    public static long? Apply(this CombineOperation operation, IReadOnlyList<long> answers)
    {
        try
        {
            return operation switch
            {
                CombineOperation.Sum when answers.Count > 0 => answers.Aggregate(0L, (a, b) => checked(a + b)),
                CombineOperation.Difference when answers.Count == 2 => checked(Math.Max(answers[0], answers[1]) - Math.Min(answers[0], answers[1])),
                CombineOperation.Product when answers.Count == 2 => checked(answers[0] * answers[1]),
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The combine as a worked line, e.g. <c>12 + 7 = 19</c> (the difference written larger first).</summary>
    public static string Line(this CombineOperation operation, IReadOnlyList<long> answers, long result)
    {
        var ordered = operation == CombineOperation.Difference ? answers.OrderDescending().ToArray() : answers.ToArray();
        var op = operation switch { CombineOperation.Difference => " - ", CombineOperation.Product => " * ", _ => " + " };
        return string.Join(op, ordered.Select(Answers.NumericAnswer.Format)) + " = " + Answers.NumericAnswer.Format(result);
    }
}
