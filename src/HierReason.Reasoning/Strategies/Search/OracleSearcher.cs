using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// The upper bound (option <c>searcher: "oracle"</c>): whatever the query, the gold document of the chain's next hop (the
/// hop whose gold query it is, else the one after the searches so far) and its sentence naming both the hop's subject and
/// object. Needs multi_hop_lookup items.
/// </summary>
public sealed class OracleSearcher(WorldRetrievers retrievers) : ISearcher
{
    public Task<IReadOnlyList<SearchReply>> AnswerAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SearchReply>>(requests.Select(Answer).ToArray());

    private SearchReply Answer(SearchRequest request)
    {
        var item = request.Item;
        if (item.Metadata is not MultiHopLookupMetadata meta)
            throw new HierReasonException($"the oracle searcher reads the gold chain of multi_hop_lookup items; task '{item.Task}' has none (use searcher \"extractive\" or \"model\")");
        var done = request.Episode.EnvironmentSegments.Count(s => s.Metadata?.GetValueOrDefault(SearchNotes.Kind) == SearchNotes.SearchKind);
        var hop = HopFor(meta, request.Query, done);
        return new SearchReply(Sentence(retrievers.World(item), hop), [hop.DocId], SearcherTurns: 1);
    }

    /// <summary>The hop whose gold query <paramref name="query"/> is, else hop <paramref name="searchesSoFar"/> (the last one past the end).</summary>
    public static LookupHop HopFor(MultiHopLookupMetadata meta, string query, int searchesSoFar) =>
        meta.Hops.FirstOrDefault(h => string.Equals(h.Query.Trim(), query.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? meta.Hops[Math.Min(searchesSoFar, meta.Hops.Count - 1)];

    /// <summary>The sentence of the hop's document naming its subject and its object (the document's text if none does).</summary>
    public static string Sentence(WorldIndex world, LookupHop hop)
    {
        var document = world.Document(hop.DocId) ?? throw new InvalidOperationException($"document '{hop.DocId}' is not in its world");
        return SearchText.Sentences(document.Text).FirstOrDefault(s =>
                s.Contains(hop.Subject, StringComparison.OrdinalIgnoreCase) && s.Contains(hop.Object, StringComparison.OrdinalIgnoreCase))
            ?? document.Text;
    }
}
