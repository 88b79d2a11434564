namespace HierReason.Core.Episodes;

/// <summary>Why a policy turn ended.</summary>
public enum TurnEnd
{
    /// <summary>The model's end-of-sequence (or end-of-turn) token.</summary>
    EndOfSequence,

    /// <summary>One of the turn's <see cref="TurnSpec.EndAfter"/> strings was written: the environment answers next.</summary>
    EndAfter,

    /// <summary>A user stop string (models.json <c>generation.stop</c>); the text is cut before it.</summary>
    StopString,

    /// <summary>The token budget (or the context) ran out.</summary>
    Length,
}

/// <summary>
/// One turn the policy wrote: its text, its token ids and their sampling log-probabilities where the policy has them, and why
/// it ended; <paramref name="ElapsedMs"/>, where the policy times rows, is how long after the policy call began this turn was done;
/// <paramref name="Reasoning"/> is the reasoning an endpoint returned beside the text (kept as the segment's "reasoning" metadata).
/// </summary>
public sealed record PolicyTurn(string Text, IReadOnlyList<int>? TokenIds, TurnEnd End, int Tokens, IReadOnlyList<float>? LogProbs = null, double? ElapsedMs = null,
    string? Reasoning = null);
