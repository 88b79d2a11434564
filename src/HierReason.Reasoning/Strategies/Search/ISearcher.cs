using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// What answers the thinker's queries: the retriever's passages (flat_search) or a searcher sub-agent (thinker_searcher).
/// One call answers every query of a round, across episodes, so a model searcher decodes each of its rounds in one batch.
/// </summary>
public interface ISearcher
{
    /// <summary>One reply per request, in order.</summary>
    Task<IReadOnlyList<SearchReply>> AnswerAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken);
}

/// <summary>A thinker's query in its episode (whose last segment is the turn that asked it).</summary>
public sealed record SearchRequest(Episode Episode, string Query)
{
    public Core.Tasks.TaskItem Item => Episode.Item ?? throw new InvalidOperationException("a search episode needs its task item (its world is the corpus)");
}

/// <summary>
/// What goes back to the thinker inside <c>&lt;information&gt;</c>, and what stays out of its tokens: the documents
/// retrieved on the way, the searcher's tokens, turns and trajectory.
/// </summary>
public sealed record SearchReply(string Information, IReadOnlyList<string> DocIds, int SearcherTokens = 0, int SearcherTurns = 0, string? Trajectory = null);
