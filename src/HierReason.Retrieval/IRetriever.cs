using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval;

/// <summary>Batched retrieval: for each query, its top-k documents, best first (a local BM25 index or a /retrieve server).</summary>
public interface IRetriever
{
    Task<IReadOnlyList<IReadOnlyList<RetrievedDocument>>> RetrieveAsync(IReadOnlyList<string> queries, int topK, CancellationToken cancellationToken);
}
