namespace HierReason.Training.Episodes;

/// <summary>The other side of a multi-turn episode: after each policy turn it may insert a segment (masked out of the loss).</summary>
public interface IEnvironment
{
    /// <summary>The next environment segment for the episode so far, or null when the episode is done.</summary>
    Segment? Next(Episode episode);

    /// <summary>
    /// Whether the policy's current turn should end here so that the environment can answer; <paramref name="turnIds"/>
    /// are the turn's ids so far, <paramref name="tail"/> the text of its last few tokens. Default: never (EOS ends it).
    /// </summary>
    bool EndsTurn(IReadOnlyList<int> turnIds, string tail) => false;
}
