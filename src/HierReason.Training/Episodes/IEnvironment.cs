namespace HierReason.Training.Episodes;

/// <summary>The other side of a multi-turn episode: after each policy turn it may insert a segment (masked out of the loss).</summary>
public interface IEnvironment
{
    /// <summary>The next environment segment for the episode so far, or null when the episode is done.</summary>
    Segment? Next(Episode episode);
}
