using HierReason.Retrieval.Corpus;
using HierReason.Retrieval.Index;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Document = HierReason.Retrieval.Corpus.Document;

namespace HierReason.Retrieval.Tests.Index;

/// <summary>The index scores with BM25 (k1 1.2, b 0.75), not Lucene 4.8's default TF-IDF.</summary>
public sealed class Bm25ScoringTests
{
    /// <summary>No titles, so every score is the contents field's alone.</summary>
    private static readonly Document[] Tiny =
    [
        new("d1", "", "alpha alpha beta"),
        new("d2", "", "alpha beta gamma delta epsilon zeta eta"),
        new("d3", "", "beta gamma"),
        new("d4", "", "gamma delta"),
    ];

    /// <summary>
    /// Lucene 4.8's BM25: idf = ln(1 + (N − n + 0.5)/(n + 0.5)) with N = maxDoc; tf part = tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)),
    /// with avgdl = sumTotalTermFreq / maxDoc and dl the field length as the norm byte stores it (1/√len in SmallFloat's 3-bit mantissa).
    /// </summary>
    private static double Expected(string term, Document document, IReadOnlyList<Document> corpus)
    {
        static string[] Tokens(Document d) => d.Contents.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const double k1 = 1.2, b = 0.75;
        double n = corpus.Count(d => Tokens(d).Contains(term));
        double avgdl = corpus.Sum(d => Tokens(d).Length) / (double)corpus.Count;
        var idf = Math.Log(1 + (corpus.Count - n + 0.5) / (n + 0.5));
        var length = Tokens(document).Length;
        var encoded = SmallSingle.Byte315ToSingle(SmallSingle.SingleToByte315(1f / MathF.Sqrt(length)));
        var dl = 1.0 / (encoded * encoded);
        double tf = Tokens(document).Count(t => t == term);
        return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl));
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("beta")]
    [InlineData("gamma")]
    public void A_one_term_score_matches_lucenes_bm25_formula_by_hand(string term)
    {
        using var index = Bm25Index.InMemory(Tiny);
        var hits = index.Search(term, k: 4);
        Assert.NotEmpty(hits);
        foreach (var hit in hits)
            Assert.Equal(Expected(term, hit.Document, Tiny), hit.Score, 1e-4);
    }

    [Fact]
    public void A_two_term_score_is_the_sum_of_the_terms()
    {
        using var index = Bm25Index.InMemory(Tiny);
        var d2 = index.Search("alpha gamma", k: 4).Single(h => h.Document.Id == "d2");
        Assert.Equal(Expected("alpha", Tiny[1], Tiny) + Expected("gamma", Tiny[1], Tiny), d2.Score, 1e-4);
    }

    [Fact]
    public void The_searcher_scores_with_bm25_k1_1_2_b_0_75()
    {
        using var index = Bm25Index.InMemory(Tiny);
        var similarity = Assert.IsType<BM25Similarity>(index.Searcher.Similarity);
        Assert.Equal(1.2f, similarity.K1);
        Assert.Equal(0.75f, similarity.B);
    }

    /// <summary>
    /// "alpha" alone (1 token) against "alpha alpha alpha beta" (4 tokens): TF-IDF's √tf/√len prefers the short document
    /// (1 vs 0.87), BM25's saturating tf prefers the long one. Both rankings come from Lucene itself.
    /// </summary>
    [Fact]
    public void The_ranking_differs_from_tfidf_where_the_two_disagree()
    {
        Document[] corpus =
        [
            new("short", "", "alpha"),
            new("long", "", "alpha alpha alpha beta"),
            new("f1", "", "beta gamma delta epsilon"),
            new("f2", "", "gamma delta epsilon zeta"),
            new("f3", "", "delta epsilon zeta eta"),
            new("f4", "", "epsilon zeta eta theta"),
        ];
        using var index = Bm25Index.InMemory(corpus);
        Assert.Equal(["long", "short"], index.Search("alpha", k: 2).Select(h => h.Document.Id));
        Assert.Equal(["short", "long"], TfIdfRanking(corpus, "alpha"));
    }

    private static string[] TfIdfRanking(IEnumerable<Document> corpus, string term)
    {
        using var directory = new RAMDirectory();
        using var analyzer = new StandardAnalyzer(LuceneVersion.LUCENE_48);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new DefaultSimilarity() }))
            foreach (var d in corpus)
                writer.AddDocument(new Lucene.Net.Documents.Document { new StringField("id", d.Id, Field.Store.YES), new TextField("contents", d.Contents, Field.Store.NO) });
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader) { Similarity = new DefaultSimilarity() };
        return searcher.Search(new TermQuery(new Term("contents", term)), 2).ScoreDocs.Select(s => searcher.Doc(s.Doc).Get("id")).ToArray();
    }
}
