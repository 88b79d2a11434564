using HierReason.Retrieval.Corpus;
using HierReason.Retrieval.Index;

namespace HierReason.Retrieval;

/// <summary>In-process retrieval over a <see cref="Bm25Index"/> (which the caller owns and disposes).</summary>
public sealed class Bm25Retriever(Bm25Index index) : IRetriever
{
    public Bm25Index Index { get; } = index;

    public Task<IReadOnlyList<IReadOnlyList<RetrievedDocument>>> RetrieveAsync(IReadOnlyList<string> queries, int topK, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var results = new IReadOnlyList<RetrievedDocument>[queries.Count];
        for (var i = 0; i < queries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[i] = Index.Search(queries[i], topK);
        }
        return Task.FromResult<IReadOnlyList<IReadOnlyList<RetrievedDocument>>>(results);
    }
}
