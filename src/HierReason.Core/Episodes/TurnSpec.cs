namespace HierReason.Core.Episodes;

/// <summary>
/// How the policy's next turn may run: strings that end the turn as soon as they are written (kept in the text, e.g.
/// <c>&lt;/calc&gt;</c>), the token ids it may choose from (restricted decoding; null = any), and a token limit for the turn.
/// </summary>
public sealed record TurnSpec(IReadOnlyList<string> EndAfter, IReadOnlyList<int>? AllowedTokenIds = null, int? MaxTokens = null)
{
    /// <summary>A free turn: it ends at end of sequence, a stop string or the budget.</summary>
    public static TurnSpec Open { get; } = new([]);

    /// <summary>A turn constrained to one of a fixed set of strings (a constrained choice); null = free text.</summary>
    public ChoiceSpec? Choice { get; init; }
}
