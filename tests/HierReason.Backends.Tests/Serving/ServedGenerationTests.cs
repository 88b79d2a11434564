using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Engine.Chat;
using HierReason.Engine.Inference;

namespace HierReason.Backends.Tests.Serving;

/// <summary>The OpenAI client backend against a real <c>hierreason serve</c> server on loopback.</summary>
[Collection(ServerCollection.Name)]
public sealed class ServedGenerationTests(ServerFixture fixture)
{
    private static readonly SamplingSettings Greedy = new() { Temperature = 0, MaxTokens = 12 };

    [Fact]
    public async Task Greedy_completion_matches_the_engine_run_locally()
    {
        await using var client = await fixture.ClientAsync();
        var served = await client.CompleteAsync(["Count: 1 2 3"], Greedy);

        using var local = LocalModel.Load(fixture.ModelDir);
        var expected = local.Generate(["Count: 1 2 3"], new TextGenerationSettings { Temperature = 0, MaxNewTokens = 12 })[0][0];
        var completion = Assert.Single(Assert.Single(served));
        Assert.Equal(expected.Text, completion.Text);
        Assert.Equal(expected.FinishReason, completion.FinishReason);
        Assert.Equal(expected.TokenIds.Length, completion.CompletionTokens);
        Assert.Equal(expected.PromptTokens, completion.PromptTokens);
        Assert.True(client.Usage.CompletionTokens >= completion.CompletionTokens);
    }

    [Fact]
    public async Task Chat_reply_matches_the_engine_with_the_models_chat_template()
    {
        await using var client = await fixture.ClientAsync();
        var served = await client.ChatAsync([[new Message("system", "Be brief."), new Message("user", "What is 2+2?")]], Greedy with { LogProbs = true });

        using var local = LocalModel.Load(fixture.ModelDir);
        var expected = local.GenerateChat([[new ChatMessage("system", "Be brief."), new ChatMessage("user", "What is 2+2?")]],
            new TextGenerationSettings { Temperature = 0, MaxNewTokens = 12 })[0][0];
        var completion = Assert.Single(Assert.Single(served));
        Assert.Equal(expected.Text, completion.Text);
        Assert.NotNull(completion.LogProbs);
        Assert.Equal(expected.LogProbs.Length, completion.LogProbs!.Count);
        for (var i = 0; i < expected.LogProbs.Length; i++) Assert.Equal(expected.LogProbs[i], completion.LogProbs[i], 3);
    }

    [Fact]
    public async Task Streamed_chat_deltas_add_up_to_the_whole_reply_and_end_with_done()
    {
        await using var client = await fixture.ClientAsync();
        var whole = (await client.ChatAsync([[new Message("user", "stream me")]], Greedy with { MaxTokens = 16 }))[0][0];

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.V1 + "/chat/completions")
        {
            Content = new StringContent("""{"model":"tiny","messages":[{"role":"user","content":"stream me"}],"temperature":0,"max_tokens":16,"stream":true,"stream_options":{"include_usage":true}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line["data: ".Length..]);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        var text = string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["delta"]?["content"]?.GetValue<string>() ?? ""));
        Assert.Equal(whole.Text, text);
        Assert.Equal(whole.FinishReason, chunks.SelectMany(c => c["choices"]!.AsArray()).Last()!["finish_reason"]!.GetValue<string>());
        Assert.Equal(whole.CompletionTokens, chunks[^1]["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task N_samples_come_back_as_n_completions_reproducible_with_a_seed()
    {
        await using var client = await fixture.ClientAsync();
        var settings = new SamplingSettings { N = 4, Temperature = 1.0, MaxTokens = 10, Seed = 11 };
        var first = (await client.CompleteAsync(["Sample:"], settings))[0];
        var again = (await client.CompleteAsync(["Sample:"], settings))[0];

        Assert.Equal(4, first.Count);
        Assert.True(first.Select(c => c.Text).Distinct().Count() > 1, "four samples at temperature 1 should not all be equal");
        Assert.Equal(first.Select(c => c.Text), again.Select(c => c.Text));
    }

    [Fact]
    public async Task A_stop_string_cuts_the_text_before_it_and_finishes_with_stop()
    {
        await using var client = await fixture.ClientAsync();
        var settings = new SamplingSettings { Temperature = 1.0, MaxTokens = 40, Seed = 5 };
        var full = (await client.CompleteAsync(["Stop test:"], settings))[0][0].Text;
        // Two printable ASCII characters from the middle: the text up to their first occurrence is what must remain.
        var at = Enumerable.Range(3, Math.Max(full.Length - 4, 0)).First(i => full[i] is >= '!' and <= '~' && full[i + 1] is >= '!' and <= '~');
        var stop = full.Substring(at, 2);

        var cut = (await client.CompleteAsync(["Stop test:"], settings with { Stop = [stop] }))[0][0];
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], cut.Text);
        Assert.Equal("stop", cut.FinishReason);
    }

    [Fact]
    public async Task The_lora_module_is_selected_by_its_name_and_changes_the_output()
    {
        await using var base_ = await fixture.ClientAsync();
        await using var lora = await fixture.ClientAsync(ServerFixture.LoraName);
        var settings = Greedy with { LogProbs = true, MaxTokens = 8 };
        var a = (await base_.CompleteAsync(["Adapter?"], settings))[0][0];
        var b = (await lora.CompleteAsync(["Adapter?"], settings))[0][0];

        Assert.NotNull(a.LogProbs);
        Assert.NotNull(b.LogProbs);
        Assert.NotEqual(a.LogProbs![0], b.LogProbs![0]);
        Assert.Contains(ServerFixture.LoraName, fixture.Server.ModelNames);
    }

    [Fact]
    public async Task Sixty_four_concurrent_clients_are_all_answered_in_shared_batches()
    {
        var before = fixture.Server.EngineStats;
        var clients = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => fixture.ClientAsync(maxConcurrency: 1)));
        try
        {
            var answers = await Task.WhenAll(clients.Select((c, i) => c.CompleteAsync([$"client {i}:"], new SamplingSettings { Temperature = 0.7, MaxTokens = 4 })));
            Assert.All(answers, a => Assert.InRange(a[0][0].CompletionTokens, 1, 4));
            var after = fixture.Server.EngineStats;
            var batches = after.Batches - before.Batches;
            var rows = after.Rows - before.Rows;
            Assert.True(rows >= 64, $"rows {rows}");
            Assert.True(batches < 64, $"64 requests ran in {batches} batches: nothing was batched");
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_api_key_appears_in_no_server_or_client_log_line()
    {
        var clientLogs = new CapturedLogs();
        await using (var client = await fixture.ClientAsync(logs: clientLogs))
        {
            await client.CompleteAsync(["secret?"], Greedy);
            await client.ChatAsync([[new Message("user", "secret?")]], Greedy);
        }
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key + "-wrong");
            Assert.Equal(401, (int)(await http.GetAsync(fixture.V1 + "/models")).StatusCode);
        }

        Assert.NotEmpty(clientLogs.Lines);
        Assert.NotEmpty(fixture.ServerLogs.Lines);
        Assert.DoesNotContain(clientLogs.Lines.Concat(fixture.ServerLogs.Lines), l => l.Contains(fixture.Key, StringComparison.Ordinal));
    }
}
