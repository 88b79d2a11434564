namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// The scripted searcher (option <c>searcher: "extractive"</c>): the BM25 top-1 document of the query, then its sentence
/// sharing the most content words with the query (<see cref="SearchText.BestSentence"/>). Deterministic, no model: a
/// baseline and the searcher of tests and early GRPO runs.
/// </summary>
public sealed class ExtractiveSearcher(WorldRetrievers retrievers) : ISearcher
{
    /// <summary>The reply when the query retrieves nothing.</summary>
    public const string NothingFound = "No document matches the query.";

    public async Task<IReadOnlyList<SearchReply>> AnswerAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken)
    {
        var hits = await retrievers.RetrieveAsync(requests.Select(r => (r.Item, r.Query)).ToArray(), 1, cancellationToken).ConfigureAwait(false);
        return requests.Select((r, i) =>
        {
            if (hits[i].Count == 0) return new SearchReply(NothingFound, [], SearcherTurns: 1);
            var document = hits[i][0].Document;
            var text = document.Text.Length > 0 ? document.Text : document.Contents;
            return new SearchReply(SearchText.BestSentence(text, r.Query) ?? text, [document.Id], SearcherTurns: 1);
        }).ToArray();
    }
}
