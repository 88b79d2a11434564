namespace HierReason.Core.Tasks;

/// <summary>
/// A self-contained part of a decomposable problem: a question a worker can answer on its own, the
/// arithmetic that answers it, and the answer. The planner/worker stage reads these from metadata.
/// </summary>
public sealed record SubProblem
{
    public required string Question { get; init; }

    /// <summary>The arithmetic in ordinary precedence, e.g. <c>4 + 3 * 5</c>.</summary>
    public required string Expression { get; init; }

    public required long Answer { get; init; }
}

/// <summary>How the answers of sub-problems combine into the answer of the whole problem.</summary>
public enum CombineOperation
{
    /// <summary>All answers added.</summary>
    Sum,

    /// <summary>The larger of two answers minus the smaller.</summary>
    Difference,

    /// <summary>Two answers multiplied.</summary>
    Product,
}
