using System.Text;
using System.Text.Json.Nodes;
using HierReason.Backends.Serving;
using HierReason.Engine.Inference;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// Continuous batching in the real server on loopback: rows join a running batch at the next token and leave it as
/// soon as they end, each with exactly the greedy text it gets when the engine runs it alone. The model is the printable
/// tiny one, so every token streams as it is decoded.
/// </summary>
public sealed class ContinuousBatchingTests : IAsyncLifetime
{
    private const string LongPrompt = "Once upon a time";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-continuous-" + Guid.NewGuid().ToString("N")[..8]);
    private OpenAiServer _server = null!;

    private string ModelDir => Path.Combine(_dir, "tiny");
    private string V1 => _server.BaseUrl + "/v1";

    public async Task InitializeAsync()
    {
        PrintableTinyModel.Init(ModelDir);
        _server = await OpenAiServer.StartAsync(new ServeOptions
        {
            ModelDir = ModelDir, ServedModelName = "tiny", Port = 0, Threads = 1, Batching = ServeBatching.Continuous,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task A_short_request_finishes_while_a_long_one_that_started_first_is_still_decoding()
    {
        const int longBudget = 800;
        var longSolo = Solo(LongPrompt, longBudget);
        Assert.Equal(longBudget, longSolo.TokenIds.Length);   // the test needs a long row that runs to its budget
        var shortSolo = Solo("Hi", 5);

        using var http = Http();
        await using var running = await Streamed.StartAsync(http, V1, LongPrompt, longBudget);
        await running.ReadTextAsync(1);                                                   // the long row is decoding
        var startedAt = Environment.TickCount64;
        var longText = running.ReadAllAsync();
        var answer = await PostAsync(http, """{"model":"tiny","prompt":"Hi","temperature":0,"max_tokens":5}""");
        var answeredAt = Environment.TickCount64;
        await longText;

        Assert.True(answeredAt < running.FinishedAt, $"the short request's answer came {answeredAt - running.FinishedAt} ms after the long one had ended ({running.FinishedAt - startedAt} ms after its first chunk)");
        Assert.Equal(shortSolo.Text, answer["choices"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(longSolo.Text, await longText);
        Assert.Equal("length", running.FinishReason);
    }

    [Fact]
    public async Task Rows_added_mid_flight_produce_exactly_their_solo_greedy_output()
    {
        string[] prompts = ["The cat", "1 2 3 4", "A much longer prompt than the running row's, to move the cache's end column"];
        int[] budgets = [7, 19, 33];
        var expected = prompts.Select((p, i) => Solo(p, budgets[i]).Text).ToArray();
        var longSolo = Solo(LongPrompt, 600);

        using var http = Http();
        await using var running = await Streamed.StartAsync(http, V1, LongPrompt, 600);
        await running.ReadTextAsync(2);
        var answers = new List<Task<JsonNode>>();
        foreach (var (prompt, i) in prompts.Select((p, i) => (p, i)))
        {
            answers.Add(PostAsync(http, $$"""{"model":"tiny","prompt":{{JsonValue.Create(prompt).ToJsonString()}},"temperature":0,"max_tokens":{{budgets[i]}}}"""));
            await Task.Delay(15);                                                         // joins at different steps
        }
        var texts = (await Task.WhenAll(answers)).Select(a => a["choices"]![0]!["text"]!.GetValue<string>()).ToArray();

        Assert.Equal(expected, texts);
        Assert.Equal(longSolo.Text, await running.ReadAllAsync());
    }

    [Fact]
    public async Task A_request_of_several_prompts_times_n_joins_mid_flight_with_every_choice_its_prompts_solo_output()
    {
        var first = Solo("The cat", 9).Text;
        var second = Solo("1 2 3 4", 9).Text;
        using var http = Http();
        await using var running = await Streamed.StartAsync(http, V1, LongPrompt, 600);
        await running.ReadTextAsync(1);
        var answer = await PostAsync(http, """{"model":"tiny","prompt":["The cat","1 2 3 4"],"n":3,"temperature":0,"max_tokens":9}""");

        var choices = answer["choices"]!.AsArray().OrderBy(c => c!["index"]!.GetValue<int>()).Select(c => c!["text"]!.GetValue<string>()).ToArray();
        Assert.Equal([first, first, first, second, second, second], choices);
        Assert.Equal(Solo(LongPrompt, 600).Text, await running.ReadAllAsync());
    }

    [Fact]
    public async Task A_cancelled_row_leaves_the_batch_and_the_other_rows_are_unaffected()
    {
        var keptSolo = Solo("Keep going:", 900);
        using var http = Http();
        var cancelled = await Streamed.StartAsync(http, V1, LongPrompt, 800);
        await using var kept = await Streamed.StartAsync(http, V1, "Keep going:", 900);
        await cancelled.ReadTextAsync(1);
        await kept.ReadTextAsync(1);
        await cancelled.DisposeAsync();                                                   // the client hangs up mid-stream
        await Task.Delay(300);                                                            // the server notices; the row leaves at the next step
        var before = _server.EngineStats;
        var keptText = kept.ReadAllAsync();
        await Task.Delay(200);
        var after = _server.EngineStats;

        Assert.False(keptText.IsCompleted, "the kept row ended too soon to watch the batch");
        Assert.True(after.Batches > before.Batches);
        Assert.Equal(after.Batches - before.Batches, after.Rows - before.Rows);           // one row per step: the cancelled row has left
        Assert.Equal(keptSolo.Text, await keptText);
        // The server goes on answering: the cancelled row left its slot and broke nothing.
        var answer = await PostAsync(http, """{"model":"tiny","prompt":"Hi","temperature":0,"max_tokens":5}""");
        Assert.Equal(Solo("Hi", 5).Text, answer["choices"]![0]!["text"]!.GetValue<string>());
    }

    private TextCompletion Solo(string prompt, int maxTokens)
    {
        using var local = LocalModel.Load(ModelDir);
        return local.Generate([prompt], new TextGenerationSettings { Temperature = 0, MaxNewTokens = maxTokens })[0][0];
    }

    /// <summary>A client that closes the connection when a response is dropped unread (by default it drains up to 1 MB to reuse it).</summary>
    private static HttpClient Http() => new(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { Timeout = TimeSpan.FromSeconds(120) };

    private async Task<JsonNode> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync(V1 + "/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>A streamed greedy completion read chunk by chunk.</summary>
    private sealed class Streamed : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;
        private readonly StringBuilder _text = new();

        private Streamed(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        /// <summary>When (<see cref="Environment.TickCount64"/>) the chunk with the finish reason was read.</summary>
        public long FinishedAt { get; private set; } = long.MaxValue;
        public string? FinishReason { get; private set; }

        public static async Task<Streamed> StartAsync(HttpClient http, string v1, string prompt, int maxTokens)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, v1 + "/completions")
            {
                Content = new StringContent($$"""{"model":"tiny","prompt":{{JsonValue.Create(prompt).ToJsonString()}},"temperature":0,"max_tokens":{{maxTokens}},"stream":true}""", Encoding.UTF8, "application/json"),
            };
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.IsSuccessStatusCode, $"status {(int)response.StatusCode}");
            return new Streamed(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        /// <summary>Reads until <paramref name="chunks"/> text chunks have come (or the stream ended).</summary>
        public async Task ReadTextAsync(int chunks)
        {
            var seen = 0;
            while (seen < chunks && await _reader.ReadLineAsync() is { } line)
                if (Take(line)) seen++;
        }

        public async Task<string> ReadAllAsync()
        {
            while (await _reader.ReadLineAsync() is { } line) Take(line);
            return _text.ToString();
        }

        private bool Take(string line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]") return false;
            var choice = JsonNode.Parse(line["data: ".Length..])!["choices"]![0]!;
            _text.Append(choice["text"]?.GetValue<string>() ?? "");
            if (choice["finish_reason"]?.GetValue<string>() is { } reason)
            {
                FinishReason = reason;
                FinishedAt = Environment.TickCount64;
            }
            return (choice["text"]?.GetValue<string>() ?? "").Length > 0;
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
