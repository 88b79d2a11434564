namespace HierReason.Core.Episodes;

/// <summary>
/// How the policy's next turn may run: strings that end the turn as soon as they are written (kept in the text, e.g.
/// <c>&lt;/calc&gt;</c>), the token ids it may choose from (restricted decoding; null = any), and a token limit for the turn.
/// </summary>
public sealed record TurnSpec(IReadOnlyList<string> EndAfter, IReadOnlyList<int>? AllowedTokenIds = null, int? MaxTokens = null)
{
    /// <summary>
    /// The turn is a choice among fixed values: a text policy (a backend over HTTP) is asked for one of them under a JSON
    /// schema; a token policy picks one of <see cref="ChoiceTokens"/> instead (see there). Null: not a choice.
    /// </summary>
    public ChoiceSpec? Choice { get; init; }

    /// <summary>
    /// For a <see cref="Choice"/> turn on a token policy (the local engine): one short code per value (<c>A</c>, <c>B</c>, …)
    /// that the tokenizer writes as a single token; the runner restricts the turn to those tokens and to one token, so the
    /// trainer can recompute the same restricted softmax. Null: token policies are restricted by <see cref="AllowedTokenIds"/> alone.
    /// </summary>
    public IReadOnlyList<string>? ChoiceTokens { get; init; }

    /// <summary>A free turn: it ends at end of sequence, a stop string or the budget.</summary>
    public static TurnSpec Open { get; } = new([]);
}
