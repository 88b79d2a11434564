namespace HierReason.Engine.Prm;

/// <summary>How a trajectory's step rewards p_t become one score (seed 001's <c>reduction</c>; product is its default).</summary>
public enum TrajectoryReduction
{
    Product,
    Min,
    Last,
    Sum,
}

/// <summary>Applies a <see cref="TrajectoryReduction"/> to step rewards.</summary>
public static class TrajectoryReductions
{
    /// <summary>The reduced score; an empty trajectory (no step scored) is NaN, so it never silently wins a ranking.</summary>
    public static double Reduce(IReadOnlyList<double> stepScores, TrajectoryReduction reduction)
    {
        if (stepScores.Count == 0) return double.NaN;
        return reduction switch
        {
            TrajectoryReduction.Product => stepScores.Aggregate(1.0, (a, p) => a * p),
            TrajectoryReduction.Min => stepScores.Min(),
            TrajectoryReduction.Last => stepScores[^1],
            TrajectoryReduction.Sum => stepScores.Sum(),
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, null),
        };
    }

    /// <summary>Parses <c>product|min|last|sum</c> (case-insensitive).</summary>
    public static TrajectoryReduction Parse(string name) =>
        Enum.TryParse<TrajectoryReduction>(name, ignoreCase: true, out var r) && Enum.IsDefined(r) && !int.TryParse(name, out _)
            ? r
            : throw new EngineException($"reduction '{name}': expected product, min, last or sum");
}
