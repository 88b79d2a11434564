namespace HierReason.Engine.Prm;

/// <summary>A trajectory's step rewards p_t (steps cut by max_length are not scored) and their reduction.</summary>
public sealed record PrmScore(IReadOnlyList<double> StepScores, int TotalSteps, double Score, TrajectoryReduction Reduction)
{
    public int TruncatedSteps => TotalSteps - StepScores.Count;
}
