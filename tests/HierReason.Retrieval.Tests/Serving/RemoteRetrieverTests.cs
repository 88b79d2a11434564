using HierReason.Core;
using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval.Tests.Serving;

/// <summary>The HTTP client against the real server returns what the in-process index returns.</summary>
[Collection(RetrievalServerCollection.Name)]
public sealed class RemoteRetrieverTests(RetrievalServerFixture fixture)
{
    [Fact]
    public async Task Remote_hits_equal_the_in_process_hits()
    {
        var queries = fixture.World.Births.Take(20).Select(p => $"Where was {p.Name} born?").Append("").Append("worked as a pilot").ToArray();
        using var remote = new RemoteRetriever(fixture.Endpoint);
        var local = new Bm25Retriever(fixture.Index);
        var expected = await local.RetrieveAsync(queries, 3, CancellationToken.None);
        var actual = await remote.RetrieveAsync(queries, 3, CancellationToken.None);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Select(h => h.Document), actual[i].Select(h => h.Document));
            Assert.Equal(expected[i].Select(h => h.Score), actual[i].Select(h => h.Score), (a, b) => Math.Abs(a - b) < 1e-5);
            Assert.Equal(SearchR1Format.Passages(expected[i]), SearchR1Format.Passages(actual[i]));
        }
    }

    [Fact]
    public async Task A_batch_over_the_contract_limit_goes_as_several_requests()
    {
        var queries = fixture.World.Births.Select(p => p.Name).Take(300).ToArray();
        using var remote = new RemoteRetriever(fixture.Server.BaseUrl);
        var results = await remote.RetrieveAsync(queries, 1, CancellationToken.None);
        Assert.Equal(300, results.Count);
        Assert.Equal(fixture.World.Births.Take(300).Select(p => p.DocId), results.Select(r => r[0].Document.Id));
    }

    [Fact]
    public async Task A_refused_request_and_an_unreachable_server_are_user_errors_naming_the_url()
    {
        using var remote = new RemoteRetriever(fixture.Endpoint);
        var refused = await Assert.ThrowsAsync<HierReasonException>(() => remote.RetrieveAsync(["a"], 101, CancellationToken.None));
        Assert.Contains("answered 400", refused.Message);
        Assert.Contains("topk", refused.Message);

        using var nowhere = new RemoteRetriever("http://127.0.0.1:1/retrieve");
        var unreachable = await Assert.ThrowsAsync<HierReasonException>(() => nowhere.RetrieveAsync(["a"], 3, CancellationToken.None));
        Assert.Contains("http://127.0.0.1:1/retrieve", unreachable.Message);
        Assert.Throws<HierReasonException>(() => new RemoteRetriever("not a url"));
    }
}
