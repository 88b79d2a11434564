using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Retrieval.Serving;

namespace HierReason.Retrieval.Tests.Serving;

/// <summary>The /retrieve service on loopback with a real HttpClient: answers, refusals, concurrency, a busy port.</summary>
[Collection(RetrievalServerCollection.Name)]
public sealed class RetrievalServerTests(RetrievalServerFixture fixture)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private async Task<(HttpStatusCode Status, JsonNode Body)> Post(string body, string path = "/retrieve")
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(fixture.Server.BaseUrl + path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    [Fact]
    public async Task A_batch_is_answered_per_query_with_the_index_hits_and_scores()
    {
        var people = fixture.World.Births.Take(3).ToArray();
        var queries = people.Select(p => $"Where was {p.Name} born?").ToArray();
        var (status, body) = await Post(RetrieveContract.Request(queries, 3).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        var result = body["result"]!.AsArray();
        Assert.Equal(3, result.Count);
        for (var i = 0; i < queries.Length; i++)
        {
            var expected = fixture.Index.Search(queries[i], 3);
            var hits = result[i]!.AsArray();
            Assert.Equal(expected.Count, hits.Count);
            for (var j = 0; j < hits.Count; j++)
            {
                Assert.Equal(expected[j].Document.Id, hits[j]!["document"]!["id"]!.GetValue<string>());
                Assert.Equal(expected[j].Document.Contents, hits[j]!["document"]!["contents"]!.GetValue<string>());
                Assert.Equal(expected[j].Score, hits[j]!["score"]!.GetValue<double>(), 1e-5);
            }
            Assert.Equal(people[i].DocId, hits[0]!["document"]!["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Without_return_scores_the_documents_come_bare_and_topk_defaults_to_three()
    {
        var (status, body) = await Post("""{"queries": ["born in"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var hits = body["result"]![0]!.AsArray();
        Assert.Equal(3, hits.Count);
        Assert.NotNull(hits[0]!["contents"]);
        Assert.Null(hits[0]!["score"]);
    }

    [Fact]
    public async Task A_query_with_no_terms_gets_an_empty_list()
    {
        var (status, body) = await Post("""{"queries": ["", "?!", "born"], "topk": 2, "return_scores": true}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([0, 0, 2], body["result"]!.AsArray().Select(r => r!.AsArray().Count));
    }

    public static TheoryData<string, string, int, string?> Malformed() => new()
    {
        { "not JSON", "{\"queries\": [", 400, null },
        { "not an object", "[\"born\"]", 400, null },
        { "queries missing", "{}", 400, "queries" },
        { "queries null", "{\"queries\": null}", 400, "queries" },
        { "queries a string", "{\"queries\": \"born\"}", 400, "queries" },
        { "queries empty", "{\"queries\": []}", 400, "queries" },
        { "query a number", "{\"queries\": [1]}", 400, "queries[0]" },
        { "second query null", "{\"queries\": [\"a\", null]}", 400, "queries[1]" },
        { "topk zero", "{\"queries\": [\"a\"], \"topk\": 0}", 400, "topk" },
        { "topk 101", "{\"queries\": [\"a\"], \"topk\": 101}", 400, "topk" },
        { "topk fractional", "{\"queries\": [\"a\"], \"topk\": 2.5}", 400, "topk" },
        { "topk a string", "{\"queries\": [\"a\"], \"topk\": \"3\"}", 400, "topk" },
        { "topk huge", "{\"queries\": [\"a\"], \"topk\": 1e300}", 400, "topk" },
        { "return_scores a string", "{\"queries\": [\"a\"], \"return_scores\": \"yes\"}", 400, "return_scores" },
        { "257 queries", "{\"queries\": [" + string.Join(",", Enumerable.Repeat("\"a\"", 257)) + "]}", 400, "queries" },
        { "over 1 MiB", "{\"queries\": [\"" + new string('x', (1 << 20) + 10) + "\"]}", 413, null },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_request_is_a_4xx_error_naming_the_field_and_the_server_keeps_serving(string name, string body, int status, string? param)
    {
        var (code, answer) = await Post(body);
        Assert.True((int)code == status, $"{name}: {(int)code} {answer.ToJsonString()}");
        var error = answer["error"]!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        if (param is not null) Assert.Contains(param.Split('[')[0], error["message"]!.GetValue<string>());
        await StillServes();
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_in_the_error_shape()
    {
        using var response = await Http.GetAsync(fixture.Server.BaseUrl + "/search");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]);
    }

    [Fact]
    public async Task Thirty_two_concurrent_clients_are_all_answered_and_the_server_still_answers_after()
    {
        var people = fixture.World.Births.Skip(50).Take(32).ToArray();
        var answers = await Task.WhenAll(people.Select(async p =>
        {
            using var client = new HttpClient();
            using var content = new StringContent(RetrieveContract.Request([$"Where was {p.Name} born?", p.City], 3).ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(fixture.Endpoint, content);
            response.EnsureSuccessStatusCode();
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!.AsArray();
        }));
        for (var i = 0; i < people.Length; i++)
        {
            Assert.Equal(2, answers[i].Count);
            var expected = fixture.Index.Search($"Where was {people[i].Name} born?", 3).Select(h => h.Document.Id);
            Assert.Equal(expected, answers[i][0]!.AsArray().Select(h => h!["document"]!["id"]!.GetValue<string>()));
        }
        await StillServes();
    }

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x71, 0x75, 0x65, 0x72, 0x69, 0x65, 0x73, 0x22, 0x3a, 0x5b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x5d, 0x7d })]
    public async Task Text_that_is_not_valid_utf8_is_a_400(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using var response = await Http.PostAsync(fixture.Endpoint, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_json", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        await StillServes();
    }

    [Fact]
    public async Task Get_on_retrieve_is_a_405_in_the_error_shape()
    {
        using var response = await Http.GetAsync(fixture.Endpoint);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("method_not_allowed", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        var text = await Http.GetStringAsync(fixture.Server.BaseUrl + "/health");
        Assert.Equal("ok", JsonNode.Parse(text)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_busy_port_is_a_one_line_user_error()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var e = await Assert.ThrowsAsync<HierReasonException>(() =>
            RetrievalServer.StartAsync(new Bm25Retriever(fixture.Index), new RetrievalServerOptions { Port = port }));
        Assert.Equal($"retrieve serve: port {port} on 127.0.0.1 is already in use; pick another with --port", e.Message);
    }

    private async Task StillServes()
    {
        var person = fixture.World.Births[0];
        var (status, body) = await Post(RetrieveContract.Request([$"Where was {person.Name} born?"], 1).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(person.DocId, body["result"]![0]![0]!["document"]!["id"]!.GetValue<string>());
    }
}
