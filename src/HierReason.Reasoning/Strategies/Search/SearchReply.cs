namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// What goes back to the thinker inside <c>&lt;information&gt;</c>, and what stays out of its tokens: the documents
/// retrieved on the way, the searcher's tokens, turns and trajectory.
/// </summary>
public sealed record SearchReply(string Information, IReadOnlyList<string> DocIds, int SearcherTokens = 0, int SearcherTurns = 0, string? Trajectory = null);
