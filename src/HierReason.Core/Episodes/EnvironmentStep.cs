namespace HierReason.Core.Episodes;

/// <summary>
/// What an environment does after a policy turn: insert a segment (masked out of the loss) and let the policy go on, or
/// end the episode (<paramref name="Terminal"/>, with or without a last segment); <paramref name="Stats"/> are summed
/// into <see cref="Episode.Stats"/>.
/// </summary>
public sealed record EnvironmentStep(Segment? Segment, bool Terminal = false, IReadOnlyDictionary<string, double>? Stats = null)
{
    /// <summary>A segment after which the policy writes again.</summary>
    public static EnvironmentStep Continue(Segment segment, IReadOnlyDictionary<string, double>? stats = null) => new(segment, false, stats);

    /// <summary>The episode's last segment (a worker's final answer).</summary>
    public static EnvironmentStep Last(Segment segment, IReadOnlyDictionary<string, double>? stats = null) => new(segment, true, stats);

    /// <summary>The episode ends with nothing more to add (a plan that did not parse), its reason recorded in the stats.</summary>
    public static EnvironmentStep Stop(IReadOnlyDictionary<string, double>? stats = null) => new(null, true, stats);
}
