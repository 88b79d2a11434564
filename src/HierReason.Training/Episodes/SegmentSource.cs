namespace HierReason.Training.Episodes;

/// <summary>Who wrote a segment of an episode; only <see cref="Policy"/> tokens are trained.</summary>
public enum SegmentSource
{
    Prompt,
    Policy,
    Environment,
}
