using HierReason.Retrieval.Index;
using Xunit.Abstractions;

namespace HierReason.Retrieval.Tests.Index;

/// <summary>BM25 finds a fictional person's own document for a templated question about them.</summary>
public sealed class RecallTests(ITestOutputHelper output)
{
    [Fact]
    public void Where_was_x_born_finds_x_in_the_top_three_for_at_least_95_percent_of_300_people()
    {
        var world = new GeneratedWorld(people: 300, seed: 7);
        using var index = Bm25Index.InMemory(world.Documents);
        var found = 0;
        var first = 0;
        foreach (var (name, _, docId) in world.Births)
        {
            var hits = index.Search($"Where was {name} born?", k: 3);
            Assert.InRange(hits.Count, 1, 3);
            if (hits.Any(h => h.Document.Id == docId)) found++;
            if (hits[0].Document.Id == docId) first++;
        }
        var recall = found / (double)world.Births.Count;
        output.WriteLine($"recall@3 {found}/{world.Births.Count}, recall@1 {first}/{world.Births.Count}");
        Assert.True(recall >= 0.95, $"recall@3 {recall:P1} ({found}/{world.Births.Count}); recall@1 {first}/{world.Births.Count}");
    }

    [Fact]
    public void Hits_come_best_first_and_k_bounds_their_number()
    {
        var world = new GeneratedWorld(people: 50, seed: 3);
        using var index = Bm25Index.InMemory(world.Documents);
        var hits = index.Search("born worked friend", k: 10);
        Assert.Equal(10, hits.Count);
        for (var i = 1; i < hits.Count; i++) Assert.True(hits[i - 1].Score >= hits[i].Score);
        Assert.Equal(50, index.Search("born", k: 1000).Count);
    }
}
