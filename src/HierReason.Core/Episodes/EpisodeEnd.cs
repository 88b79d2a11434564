namespace HierReason.Core.Episodes;

/// <summary>Why an episode ended.</summary>
public enum EpisodeEnd
{
    /// <summary>The policy ended its turn (end of sequence or a stop string) and the environment had nothing to add.</summary>
    Stop,

    /// <summary>The policy's token budget (or the model's context) ran out: the episode is truncated.</summary>
    Length,

    /// <summary>The environment ended the episode (a terminal step: the worker's final answer, a parse failure).</summary>
    Terminal,

    /// <summary>The runner's limit on policy turns was reached.</summary>
    MaxTurns,
}

/// <summary>The wire names of <see cref="EpisodeEnd"/> (sample logs, results).</summary>
public static class EpisodeEnds
{
    public static string Name(EpisodeEnd end) => end switch
    {
        EpisodeEnd.Stop => "stop",
        EpisodeEnd.Length => "length",
        EpisodeEnd.Terminal => "terminal",
        EpisodeEnd.MaxTurns => "max_turns",
        _ => throw new ArgumentOutOfRangeException(nameof(end), end, null),
    };
}
