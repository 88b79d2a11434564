using System.Collections.Concurrent;
using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Retrieval;
using HierReason.Retrieval.Corpus;
using HierReason.Retrieval.Index;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// Where a search episode's queries go: for a multi_hop_lookup item, a BM25 index over its world's corpus, built once per
/// <see cref="MultiHopLookupMetadata.WorldId"/> (thread-safe: concurrent first uses build it once); with a
/// <c>retriever_url</c>, a Search-R1 <c>/retrieve</c> server for every item. Disposing frees the indexes.
/// </summary>
public sealed class WorldRetrievers : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<WorldIndex>> _worlds = new(StringComparer.Ordinal);
    private readonly RemoteRetriever? _remote;

    /// <param name="retrieverUrl">A /retrieve server to use instead of the local indexes; null: local BM25.</param>
    public WorldRetrievers(string? retrieverUrl = null)
    {
        if (retrieverUrl is not null) _remote = new RemoteRetriever(retrieverUrl);
    }

    /// <summary>Worlds indexed so far.</summary>
    public int IndexedWorlds => _worlds.Count(w => w.Value.IsValueCreated);

    /// <summary>The retriever for <paramref name="item"/>'s queries.</summary>
    public IRetriever For(TaskItem item) => (IRetriever?)_remote ?? World(item).Retriever;

    /// <summary>The top <paramref name="topK"/> documents of each (item, query), in order: one batched retrieval per retriever.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<RetrievedDocument>>> RetrieveAsync(IReadOnlyList<(TaskItem Item, string Query)> queries, int topK, CancellationToken cancellationToken)
    {
        var results = new IReadOnlyList<RetrievedDocument>[queries.Count];
        foreach (var group in queries.Select((q, i) => (Retriever: For(q.Item), Index: i)).GroupBy(x => x.Retriever))
        {
            var members = group.ToArray();
            var hits = await group.Key.RetrieveAsync(members.Select(m => queries[m.Index].Query).ToArray(), topK, cancellationToken).ConfigureAwait(false);
            if (hits.Count != members.Length) throw new InvalidOperationException($"the retriever answered {hits.Count} of {members.Length} queries");
            for (var k = 0; k < members.Length; k++) results[members[k].Index] = hits[k];
        }
        return results;
    }

    /// <summary>
    /// The local index of <paramref name="item"/>'s world (always local: gold episodes and the oracle read the world's own
    /// documents); an item without multi_hop_lookup metadata is a user error.
    /// </summary>
    public WorldIndex World(TaskItem item)
    {
        if (item.Metadata is not MultiHopLookupMetadata meta)
            throw new HierReasonException($"task '{item.Task}' has no retrieval corpus: the search strategies index the world of multi_hop_lookup items, or ask a server given as option retriever_url");
        return _worlds.GetOrAdd(meta.WorldId, _ => new Lazy<WorldIndex>(() => WorldIndex.Build(meta.World), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    public void Dispose()
    {
        foreach (var world in _worlds.Values.Where(w => w.IsValueCreated)) world.Value.Dispose();
        _worlds.Clear();
        _remote?.Dispose();
    }
}
