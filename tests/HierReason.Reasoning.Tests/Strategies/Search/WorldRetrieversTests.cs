using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Strategies.Search;

namespace HierReason.Reasoning.Tests.Strategies.Search;

public class WorldRetrieversTests
{
    [Fact]
    public void One_index_per_world_built_once_even_when_asked_concurrently()
    {
        using var retrievers = new WorldRetrievers();
        var items = Enumerable.Range(0, 8).Select(i => SearchFixtures.Item(i % 4, level: i % 2)).ToArray(); // two levels, one world
        var indexes = new WorldIndex[items.Length];
        Parallel.For(0, items.Length, i => indexes[i] = retrievers.World(items[i]));
        Assert.All(indexes, x => Assert.Same(indexes[0], x));
        Assert.Equal(1, retrievers.IndexedWorlds);
        Assert.Equal(SearchFixtures.Meta(items[0]).Hops[0].DocId, indexes[0].Search(SearchFixtures.Meta(items[0]).Hops[0].Query, 3)
            .Select(h => h.Document.Id).First(id => id == SearchFixtures.Meta(items[0]).Hops[0].DocId));
        Assert.Same(indexes[0].Retriever, retrievers.For(items[1]));
    }

    [Fact]
    public void Another_task_has_no_corpus_and_says_how_to_give_one()
    {
        using var retrievers = new WorldRetrievers();
        var task = TaskRegistry.Default.Get("chain_sum");
        var e = Assert.Throws<HierReasonException>(() => retrievers.For(task.Generate(task.DefaultConfig, Split.Test, 0, 0)));
        Assert.Contains("task 'chain_sum' has no retrieval corpus", e.Message, StringComparison.Ordinal);
        Assert.Contains("retriever_url", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retriever_url_sends_every_item_to_the_server()
    {
        using var retrievers = new WorldRetrievers("http://127.0.0.1:9/retrieve");
        var task = TaskRegistry.Default.Get("chain_sum");
        Assert.IsType<HierReason.Retrieval.RemoteRetriever>(retrievers.For(task.Generate(task.DefaultConfig, Split.Test, 0, 0)));
        Assert.IsType<HierReason.Retrieval.RemoteRetriever>(retrievers.For(SearchFixtures.Item(0)));
    }
}
