using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// The hostile-request corpus (HostileRequests.json) against the real server: every case is a 4xx with the OpenAI
/// error shape, logs no stack trace, and the server answers a normal request right after.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class HostileRequestTests(ServerFixture fixture)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Corpus()["cases"]!.AsArray()) data.Add(c!["name"]!.GetValue<string>());
        return data;
    }

    private static JsonNode Corpus() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Serving", "HostileRequests.json")))!;

    [Fact]
    public void The_corpus_holds_at_least_fifty_cases_with_unique_names()
    {
        var names = Corpus()["cases"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();
        Assert.True(names.Length >= 50, $"{names.Length} cases");
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_is_a_4xx_in_the_openai_error_shape_and_the_server_keeps_serving(string name)
    {
        var c = Corpus()["cases"]!.AsArray().Single(x => x!["name"]!.GetValue<string>() == name)!;
        var body = c["json"] is { } json ? Encoding.UTF8.GetBytes(json.ToJsonString()) : Expand(c["raw"]!.GetValue<string>());
        var logged = fixture.ServerLogs.Lines.Count;

        var (status, text) = await Post(c["route"]?.GetValue<string>() ?? "/completions", body, c["contentType"]?.GetValue<string>() ?? "application/json");

        Assert.InRange((int)status, 400, 499);
        if (c["status"] is { } expected) Assert.Equal(expected.GetValue<int>(), (int)status);
        var error = AssertErrorShape(text);
        if (c["param"] is { } param) Assert.Equal(param.GetValue<string>(), error["param"]?.GetValue<string>());
        await StillServes();
        AssertNoStackTraceSince(logged);
    }

    /// <summary>The limits must not refuse what clients legitimately send.</summary>
    [Theory]
    [InlineData("/completions", """{"model":"tiny","prompt":"a","n":2.0,"max_tokens":2,"seed":-7}""", "application/json")]
    [InlineData("/completions", """{"model":"tiny","prompt":["a","b"],"n":64,"max_tokens":1,"temperature":0}""", "application/json; charset=utf-8")]
    [InlineData("/completions", """{"model":"tiny","prompt":"a","max_tokens":2,"stop":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16"]}""", "application/json")]
    [InlineData("/completions", """{"model":"tiny","prompt":"a","max_tokens":2,"stream_options":{"include_usage":true},"metadata":{"k":[1,{"k":2}]}}""", null)]
    [InlineData("/chat/completions", """{"model":"tiny","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}],"max_completion_tokens":2}""", "application/json")]
    public async Task Requests_at_the_edge_of_the_limits_are_answered(string route, string body, string? contentType)
    {
        using var http = new HttpClient();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.V1 + route) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.NotEmpty(JsonNode.Parse(text)!["choices"]!.AsArray());
    }

    [Fact]
    public async Task A_duplicate_key_is_a_400_naming_the_key()
    {
        var (status, text) = await Post("/chat/completions",
            Encoding.UTF8.GetBytes("""{"model":"tiny","messages":[{"role":"user","content":"x"}],"temperature":0,"temperature":2}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = AssertErrorShape(text);
        Assert.Contains("'temperature'", error["message"]!.GetValue<string>());
        Assert.Equal("temperature", error["param"]?.GetValue<string>());
    }

    [Fact]
    public async Task N_that_overflows_n_times_prompts_is_refused_before_memory_grows_with_n()
    {
        var logged = fixture.ServerLogs.Lines.Count;
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;

        var (status, text) = await Post("/completions", Encoding.UTF8.GetBytes("""{"model":"tiny","prompt":["a","b"],"n":1073741824,"max_tokens":1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("n", AssertErrorShape(text)["param"]?.GetValue<string>());
        // One row per completion would be hundreds of gigabytes; a bound generous enough for tests running alongside
        // still catches anything proportional to n.
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: false) - heapBefore;
        var peakGrowth = Process.GetCurrentProcess().PeakWorkingSet64 - peakBefore;
        Assert.True(heapGrowth < 1L << 30, $"managed heap grew by {heapGrowth >> 20} MiB");
        Assert.True(peakGrowth < 1L << 30, $"peak working set grew by {peakGrowth >> 20} MiB");
        await StillServes();
        AssertNoStackTraceSince(logged);
    }

    /// <summary>The issue's burst: one client sends the int-max max_tokens and overflowing n requests while 63 others ask normal questions with the same sampler.</summary>
    [Fact]
    public async Task One_hostile_client_among_sixty_three_normal_ones_fails_only_its_own_requests()
    {
        string[] hostile =
        [
            """{"model":"tiny","prompt":"x","max_tokens":2147483647,"temperature":0.7}""",
            """{"model":"tiny","prompt":["a","b"],"n":1073741824,"max_tokens":1,"temperature":0.7}""",
            """{"model":"tiny","prompt":"y","max_tokens":2147483600,"temperature":0.7}""",
            """{"model":"tiny","prompt":["a","b","c","d"],"n":1073741824,"max_tokens":4,"temperature":0.7}""",
        ];
        var normals = Enumerable.Range(0, 63).Select(i => Task.Run(() =>
            Post("/completions", Encoding.UTF8.GetBytes($$"""{"model":"tiny","prompt":"client {{i}}:","max_tokens":4,"temperature":0.7}""")))).ToArray();
        var attacker = Task.Run(async () =>
        {
            var answers = new List<(HttpStatusCode, string)>();
            // Interleaved with the normal requests: several rounds while they are still in flight.
            for (var round = 0; round < 3; round++)
                answers.AddRange(await Task.WhenAll(hostile.Select(h => Post("/completions", Encoding.UTF8.GetBytes(h)))));
            return answers;
        });

        var normalAnswers = await Task.WhenAll(normals);
        var hostileAnswers = await attacker;

        Assert.All(normalAnswers, a =>
        {
            Assert.True(a.Status == HttpStatusCode.OK, $"{(int)a.Status}: {a.Text}");
            var body = JsonNode.Parse(a.Text)!;
            Assert.Equal("text_completion", body["object"]!.GetValue<string>());
            Assert.InRange(body["usage"]!["completion_tokens"]!.GetValue<int>(), 1, 4);
            Assert.NotNull(body["choices"]![0]!["text"]!.GetValue<string>());
        });
        Assert.All(hostileAnswers, a =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, a.Item1);
            AssertErrorShape(a.Item2);
        });
    }

    private async Task<(HttpStatusCode Status, string Text)> Post(string route, byte[] body, string contentType = "application/json")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.V1 + route) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task StillServes()
    {
        var (status, text) = await Post("/completions", Encoding.UTF8.GetBytes("""{"model":"tiny","prompt":"ok?","max_tokens":2,"temperature":0}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, JsonNode.Parse(text)!["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    /// <summary><c>{"error": {"message": non-empty string, "type": string, "param": string or null, "code": string or null}}</c>.</summary>
    private static JsonObject AssertErrorShape(string text)
    {
        Assert.False(string.IsNullOrEmpty(text), "empty error body");
        var error = Assert.IsType<JsonObject>(Assert.IsType<JsonObject>(JsonNode.Parse(text))["error"]);
        Assert.Equal(["message", "type", "param", "code"], error.Select(p => p.Key));
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(error["type"]!.GetValue<string>()));
        Assert.True(error["param"] is null || error["param"]!.GetValueKind() == System.Text.Json.JsonValueKind.String);
        Assert.True(error["code"] is null || error["code"]!.GetValueKind() == System.Text.Json.JsonValueKind.String);
        return error;
    }

    private void AssertNoStackTraceSince(int logged)
    {
        var lines = fixture.ServerLogs.Lines.Skip(logged).ToArray();
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    /// <summary>A raw body: {{repeat:N:text}} repeats text, {{bytes:ff fe}} inserts bytes that need not be UTF-8.</summary>
    private static byte[] Expand(string raw)
    {
        var bytes = new List<byte>();
        var at = 0;
        foreach (Match m in Directive().Matches(raw))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(raw[at..m.Index]));
            if (m.Groups["count"].Success)
                bytes.AddRange(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(m.Groups["text"].Value, int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)))));
            else
                bytes.AddRange(m.Groups["hex"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            at = m.Index + m.Length;
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(raw[at..]));
        return bytes.ToArray();
    }

    [GeneratedRegex(@"\{\{(?:repeat:(?<count>\d+):(?<text>.*?)|bytes:(?<hex>[0-9a-fA-F ]+))\}\}")]
    private static partial Regex Directive();
}
