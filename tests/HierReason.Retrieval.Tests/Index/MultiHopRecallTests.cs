using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Retrieval.Corpus;
using HierReason.Retrieval.Index;
using Xunit.Abstractions;

namespace HierReason.Retrieval.Tests.Index;

/// <summary>Issue 20's acceptance test: BM25 finds the gold document of multi_hop_lookup's templated hop queries.</summary>
public sealed class MultiHopRecallTests(ITestOutputHelper output)
{
    [Fact]
    public void Gold_hop_queries_of_levels_0_and_1_find_their_document_in_the_top_three_at_least_95_percent_of_the_time()
    {
        var task = new MultiHopLookupTask();
        var indexes = new Dictionary<string, Bm25Index>(StringComparer.Ordinal);
        var (pairs, atOne, atThree) = (0, 0, 0);
        try
        {
            foreach (var level in new[] { 0, 1 })
                foreach (var item in TaskDataset.Create(task, Split.Test, seed: 0, size: 250, level: level))
                {
                    var meta = (MultiHopLookupMetadata)item.Metadata;
                    Assert.Equal(0, meta.World.Seed);
                    if (!indexes.TryGetValue(meta.WorldId, out var index))
                        indexes[meta.WorldId] = index = Bm25Index.InMemory(TaskCorpus.Of(meta.World));
                    foreach (var hop in meta.Hops)
                    {
                        var hits = index.Search(hop.Query, k: 3);
                        pairs++;
                        if (hits.Count > 0 && hits[0].Document.Id == hop.DocId) atOne++;
                        if (hits.Any(h => h.Document.Id == hop.DocId)) atThree++;
                    }
                }
        }
        finally
        {
            foreach (var index in indexes.Values) index.Dispose();
        }
        var recall3 = atThree / (double)pairs;
        output.WriteLine($"multi_hop_lookup test split, world seed 0, levels 0-1: {pairs} (query, gold doc) pairs; recall@1 {atOne / (double)pairs:F3} ({atOne}), recall@3 {recall3:F3} ({atThree})");
        Assert.True(pairs >= 500, $"only {pairs} pairs");
        Assert.True(recall3 >= 0.95, $"recall@3 {recall3:P1} ({atThree}/{pairs}); recall@1 {atOne}/{pairs}");
    }
}
