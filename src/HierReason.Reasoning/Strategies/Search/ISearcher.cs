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
