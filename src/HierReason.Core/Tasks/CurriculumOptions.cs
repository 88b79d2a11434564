using System.Globalization;

namespace HierReason.Core.Tasks;

/// <summary>When a <see cref="DifficultyCurriculum"/> moves: rolling window, promote and demote thresholds, patience.</summary>
public sealed record CurriculumOptions
{
    /// <summary>How many recent scores the rolling mean covers.</summary>
    public int Window { get; init; } = 64;

    /// <summary>Move one level harder when the rolling mean is at least this.</summary>
    public double PromoteAt { get; init; } = 0.8;

    /// <summary>Move one level easier when the rolling mean is at most this.</summary>
    public double DemoteAt { get; init; } = 0.3;

    /// <summary>Scores needed at a level before it may change again.</summary>
    public int MinSamples { get; init; } = 32;

    public void Validate()
    {
        if (Window < 1) throw new ConfigException(null, "$.window", "an integer ≥ 1", Text(Window));
        if (!(PromoteAt is >= 0 and <= 1)) throw new ConfigException(null, "$.promote_at", "a number in [0, 1]", Text(PromoteAt));
        if (!(DemoteAt >= 0 && DemoteAt < PromoteAt)) throw new ConfigException(null, "$.demote_at", $"a number in [0, promote_at ({Text(PromoteAt)}))", Text(DemoteAt));
        if (MinSamples < 1 || MinSamples > Window) throw new ConfigException(null, "$.min_samples", $"an integer in [1, window ({Window})]", Text(MinSamples));
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}
