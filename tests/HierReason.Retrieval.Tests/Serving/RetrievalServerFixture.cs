using HierReason.Retrieval.Index;
using HierReason.Retrieval.Serving;

namespace HierReason.Retrieval.Tests.Serving;

/// <summary>One real retrieval server on an ephemeral loopback port over a 300-person generated world.</summary>
public sealed class RetrievalServerFixture : IAsyncLifetime
{
    public GeneratedWorld World { get; } = new(people: 300, seed: 21);
    public Bm25Index Index { get; private set; } = null!;
    public RetrievalServer Server { get; private set; } = null!;
    public string Endpoint => Server.BaseUrl + "/retrieve";

    public async Task InitializeAsync()
    {
        Index = Bm25Index.InMemory(World.Documents);
        Server = await RetrievalServer.StartAsync(new Bm25Retriever(Index), new RetrievalServerOptions { Port = 0 });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Index.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RetrievalServerCollection : ICollectionFixture<RetrievalServerFixture>
{
    public const string Name = "retrieval server";
}
