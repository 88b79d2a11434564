namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>The frozen side of a taxonomy episode: writes a batch of thoughts (or final answers), one reply per request, in order.</summary>
public interface IReasoner
{
    Task<IReadOnlyList<ReasonerReply>> WriteAsync(IReadOnlyList<ThoughtRequest> requests, CancellationToken cancellationToken);
}
