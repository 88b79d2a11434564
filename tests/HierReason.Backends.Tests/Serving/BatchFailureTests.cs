using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Backends.Serving;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// A batch that fails in the engine fails only the request that caused it: the others are run again alone and answered,
/// except a streamed request that had already sent text, which ends without [DONE] rather than repeat its text.
/// The failure is injected into a real server (the tiny model) by a batch runner that throws on one marked prompt.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BatchFailureTests(ServerFixture fixture)
{
    private const string Culprit = "CULPRIT";
    private const string Early = "EARLY";

    [Fact]
    public async Task A_failing_batch_is_retried_request_by_request_so_only_its_culprit_fails()
    {
        var batches = new ConcurrentQueue<int>();
        var logs = new CapturedLogs();
        await using var server = await OpenAiServer.StartAsync(new ServeOptions
        {
            ModelDir = fixture.ModelDir,
            Port = 0,
            Threads = 1,
            // Five one-row requests fill the batch; the long window makes sure they all arrive before it runs.
            MaxBatch = 5,
            BatchWindow = TimeSpan.FromSeconds(5),
            // The injected runner decodes one-shot batches: continuous batching would decode these requests without it.
            Batching = ServeBatching.Static,
            LoggerFactory = logs.Factory,
        }, (model, batch) =>
        {
            batches.Enqueue(batch.Count);
            var prompts = batch.Select(r => model.Local.Tokenizer.Decode(r.Prompts[0], skipSpecial: true)).ToArray();
            if (prompts.Any(p => p.Contains(Culprit, StringComparison.Ordinal)))
            {
                // As if the device failed mid-decode: one streamed request has already sent a piece of text.
                for (var i = 0; i < batch.Count; i++)
                    if (prompts[i].Contains(Early, StringComparison.Ordinal)) batch[i].Send(new StreamDelta(0, "partial", null));
                throw new InvalidOperationException("simulated device failure");
            }
            BatchRun.Run(model, batch);
        });
        var url = server.BaseUrl + "/v1/completions";

        var culprit = Post(url, Culprit + " here", stream: false);
        var normalA = Post(url, "normal one", stream: false);
        var normalB = Post(url, "normal two", stream: false);
        var early = Post(url, Early + " stream", stream: true);
        var late = Post(url, "late stream", stream: true);
        await Task.WhenAll(culprit, normalA, normalB, early, late);

        Assert.Equal(5, batches.First());
        var (culpritStatus, culpritBody) = await culprit;
        Assert.Equal(HttpStatusCode.InternalServerError, culpritStatus);
        Assert.Equal("server_error", JsonNode.Parse(culpritBody)!["error"]!["type"]!.GetValue<string>());

        foreach (var (prompt, answer) in new[] { ("normal one", await normalA), ("normal two", await normalB) })
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(await Reference(prompt), JsonNode.Parse(answer.Body)!["choices"]![0]!["text"]!.GetValue<string>());
        }

        // Retried alone before it sent anything: the whole text, once, then [DONE].
        var (lateStatus, lateBody) = await late;
        Assert.Equal(HttpStatusCode.OK, lateStatus);
        var (lateText, lateDone) = ReadStream(lateBody);
        Assert.Equal(await Reference("late stream"), lateText);
        Assert.True(lateDone);

        // Already streaming when the batch failed: its piece once, no rerun, no [DONE].
        var (earlyStatus, earlyBody) = await early;
        Assert.Equal(HttpStatusCode.OK, earlyStatus);
        var (earlyText, earlyDone) = ReadStream(earlyBody);
        Assert.Equal("partial", earlyText);
        Assert.False(earlyDone);

        // The batch failure is one warning line; only the culprit's own failure (a server fault, run alone) carries a trace.
        Assert.Single(logs.Lines, l => l.Contains("running each alone", StringComparison.Ordinal) && !l.Contains("   at ", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    /// <summary>The fixture server's greedy answer for the same prompt.</summary>
    private async Task<string> Reference(string prompt)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await http.PostAsync(fixture.V1 + "/completions", Body(prompt, stream: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["text"]!.GetValue<string>();
    }

    private static async Task<(HttpStatusCode Status, string Body)> Post(string url, string prompt, bool stream)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsync(url, Body(prompt, stream));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Body(string prompt, bool stream) =>
        new(new JsonObject { ["model"] = "tiny", ["prompt"] = prompt, ["max_tokens"] = 6, ["temperature"] = 0, ["stream"] = stream }.ToJsonString(),
            Encoding.UTF8, "application/json");

    /// <summary>The streamed text of choice 0 and whether the stream ended with [DONE].</summary>
    private static (string Text, bool Done) ReadStream(string body)
    {
        var events = body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).ToList();
        var done = events.Count > 0 && events[^1] == "[DONE]";
        var text = string.Concat(events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!["choices"]![0]!["text"]!.GetValue<string>()));
        return (text, done);
    }
}
