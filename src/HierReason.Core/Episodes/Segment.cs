namespace HierReason.Core.Episodes;

/// <summary>
/// A run of text in an episode written by one <see cref="Actor"/>. Token ids are present when the policy works on
/// tokens (the local engine: training needs them) and absent when it works on text (a remote endpoint).
/// </summary>
/// <param name="TokenIds">The policy tokenizer's ids of <paramref name="Text"/>; null for text-only policies.</param>
public sealed record Segment(Actor Actor, string Text, IReadOnlyList<int>? TokenIds = null)
{
    /// <summary>The token ids the policy was restricted to when it wrote this segment (null = the whole vocabulary); the trainer applies the same restriction.</summary>
    public IReadOnlyList<int>? AllowedTokenIds { get; init; }

    /// <summary>Tokens the writer reported when there are no ids (a remote backend's usage count).</summary>
    public int? ReportedTokens { get; init; }

    /// <summary>What the environment wants to keep beside the text (a sub-problem's index, a retrieved document's id).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Tokens in this segment: the ids when known, else what the writer reported, else 0.</summary>
    public int TokenCount => TokenIds?.Count ?? ReportedTokens ?? 0;
}
