using HierReason.Retrieval;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>flat_search's side: the top-k passages of the query as Search-R1 formats them (<see cref="SearchR1Format.Passages"/>).</summary>
public sealed class PassageSearcher(WorldRetrievers retrievers, int topK) : ISearcher
{
    public async Task<IReadOnlyList<SearchReply>> AnswerAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken)
    {
        var hits = await retrievers.RetrieveAsync(requests.Select(r => (r.Item, r.Query)).ToArray(), topK, cancellationToken).ConfigureAwait(false);
        return hits.Select(h => new SearchReply(SearchR1Format.Passages(h), h.Select(d => d.Document.Id).ToArray())).ToArray();
    }
}
