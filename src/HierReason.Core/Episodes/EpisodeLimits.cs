namespace HierReason.Core.Episodes;

/// <summary>Bounds on one episode: the policy's tokens over all its turns, and its number of turns.</summary>
public sealed record EpisodeLimits(int MaxPolicyTokens, int MaxTurns = 16)
{
    public void Validate()
    {
        if (MaxPolicyTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxPolicyTokens), MaxPolicyTokens, "an episode needs a budget of at least one token");
        if (MaxTurns < 1) throw new ArgumentOutOfRangeException(nameof(MaxTurns), MaxTurns, "an episode needs at least one turn");
    }
}
