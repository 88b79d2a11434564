using HierReason.Core.Tasks;
using HierReason.Retrieval;
using HierReason.Retrieval.Corpus;
using HierReason.Retrieval.Index;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>One world's BM25 index and its documents by id.</summary>
public sealed class WorldIndex : IDisposable
{
    private readonly Bm25Index _index;
    private readonly Dictionary<string, Document> _byId;

    private WorldIndex(Bm25Index index, Dictionary<string, Document> byId)
    {
        _index = index;
        _byId = byId;
        Retriever = new Bm25Retriever(index);
    }

    public static WorldIndex Build(MultiHopWorldSpec world)
    {
        var documents = TaskCorpus.Of(world);
        return new WorldIndex(Bm25Index.InMemory(documents), documents.ToDictionary(d => d.Id, StringComparer.Ordinal));
    }

    public Bm25Retriever Retriever { get; }

    /// <summary>The top <paramref name="k"/> documents for <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<RetrievedDocument> Search(string query, int k) => _index.Search(query, k);

    public Document? Document(string id) => _byId.GetValueOrDefault(id);

    public void Dispose() => _index.Dispose();
}
