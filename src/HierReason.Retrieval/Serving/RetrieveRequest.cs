namespace HierReason.Retrieval.Serving;

/// <summary>A parsed <c>/retrieve</c> request: the queries, the documents wanted per query, and whether hits carry scores.</summary>
public sealed record RetrieveRequest(IReadOnlyList<string> Queries, int TopK, bool ReturnScores);
