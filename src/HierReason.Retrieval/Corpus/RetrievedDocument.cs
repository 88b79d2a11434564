namespace HierReason.Retrieval.Corpus;

/// <summary>A retrieval hit: the document and its score (BM25 for the local index; whatever the server scores remotely).</summary>
public sealed record RetrievedDocument(Document Document, double Score);
