using Lucene.Net.Search.Similarities;

namespace HierReason.Retrieval.Index;

/// <summary>
/// The BM25 parameters every index uses (pyserini's and Lucene's defaults, k1 1.2, b 0.75). Lucene.Net 4.8 scores with
/// TF-IDF unless told otherwise, so this similarity is set on the index writer (norms) and on the searcher (scores).
/// </summary>
public static class Bm25Settings
{
    public const float K1 = 1.2f;
    public const float B = 0.75f;

    public static BM25Similarity Similarity() => new(K1, B);
}
