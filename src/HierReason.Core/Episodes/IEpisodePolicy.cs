namespace HierReason.Core.Episodes;

/// <summary>
/// The model that writes the policy's turns of episodes: the local engine on token ids (GRPO rollouts, local
/// evaluation) or any backend on text (a remote endpoint). Sampling settings belong to the policy; the runner says how
/// many samples, how many tokens and how each turn may end.
/// </summary>
public interface IEpisodePolicy
{
    /// <summary>Whether the policy works on token ids (every segment then carries them).</summary>
    bool UsesTokens { get; }

    /// <summary>The prompt segment for a user message (rendered through the policy's chat template where it has one).</summary>
    Segment Prompt(string message);

    /// <summary>Token ids of text another actor inserted (null when the policy works on text).</summary>
    IReadOnlyList<int>? Encode(string text);

    /// <summary>
    /// The next turn of each episode, <paramref name="samples"/> times each, in episode-major order (episode 0's samples
    /// first). <paramref name="budgets"/>[i] is the most tokens episode i's turn may write; <paramref name="turns"/>[i] how it may end.
    /// </summary>
    Task<IReadOnlyList<PolicyTurn>> WriteAsync(
        IReadOnlyList<Episode> episodes,
        int samples,
        IReadOnlyList<TurnSpec> turns,
        IReadOnlyList<int> budgets,
        long? seed,
        CancellationToken cancellationToken);
}
