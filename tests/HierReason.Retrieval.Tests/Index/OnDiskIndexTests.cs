using HierReason.Core;
using HierReason.Retrieval.Index;

namespace HierReason.Retrieval.Tests.Index;

/// <summary>An index written to a folder named by the corpus hash, reopened with the same answers.</summary>
public sealed class OnDiskIndexTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hierreason-index-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void A_built_index_reopens_with_the_same_hits_and_documents()
    {
        var world = new GeneratedWorld(people: 60, seed: 5);
        var query = $"Where was {world.Births[10].Name} born?";
        string path;
        IReadOnlyList<RetrievedDocumentView> before;
        using (var built = Bm25Index.OpenOrBuild(world.Documents, _root))
        {
            path = built.Path!;
            Assert.Equal(Path.Combine(_root, Bm25Index.CorpusHash(world.Documents)), path);
            before = View(built.Search(query));
        }
        Assert.Empty(Directory.GetDirectories(_root, "*.tmp-*"));
        using (var reopened = Bm25Index.Open(path))
        {
            Assert.Equal(60, reopened.Count);
            Assert.Equal(before, View(reopened.Search(query)));
        }
        var written = Directory.GetLastWriteTimeUtc(path);
        using (var again = Bm25Index.OpenOrBuild(world.Documents, _root))
            Assert.Equal(before, View(again.Search(query)));
        Assert.Equal(written, Directory.GetLastWriteTimeUtc(path));
        using var memory = Bm25Index.InMemory(world.Documents);
        Assert.Equal(before, View(memory.Search(query)));
    }

    [Fact]
    public void Another_corpus_gets_another_folder()
    {
        var a = new GeneratedWorld(people: 10, seed: 1).Documents;
        var b = new GeneratedWorld(people: 10, seed: 2).Documents;
        Assert.NotEqual(Bm25Index.CorpusHash(a), Bm25Index.CorpusHash(b));
        Assert.Equal(Bm25Index.CorpusHash(a), Bm25Index.CorpusHash(new GeneratedWorld(people: 10, seed: 1).Documents));
    }

    [Fact]
    public void Opening_a_folder_that_is_not_an_index_is_a_user_error()
    {
        Directory.CreateDirectory(_root);
        var e = Assert.Throws<HierReasonException>(() => Bm25Index.Open(_root));
        Assert.Contains("not a Lucene index", e.Message);
        Assert.Throws<HierReasonException>(() => Bm25Index.Open(Path.Combine(_root, "missing")));
    }

    private sealed record RetrievedDocumentView(string Id, string Title, string Contents, double Score);

    private static IReadOnlyList<RetrievedDocumentView> View(IEnumerable<HierReason.Retrieval.Corpus.RetrievedDocument> hits) =>
        hits.Select(h => new RetrievedDocumentView(h.Document.Id, h.Document.Title, h.Document.Contents, Math.Round(h.Score, 5))).ToArray();

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
