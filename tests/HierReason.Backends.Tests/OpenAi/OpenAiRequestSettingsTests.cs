using System.Text.Json.Nodes;
using HierReason.Backends.OpenAi;
using HierReason.Core;
using HierReason.Core.Results;

namespace HierReason.Backends.Tests.OpenAi;

/// <summary>
/// The per-model request settings against a real loopback endpoint: the exact JSON a reasoning model and a plain model
/// are sent, extra_body, headers from the environment (never logged), n split over requests, the timeout setting's retry,
/// and the reasoning text and reasoning tokens an endpoint returns.
/// </summary>
public sealed class OpenAiRequestSettingsTests : IDisposable
{
    private readonly string _variable = "HIERREASON_TEST_HEADER_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private const string Secret = "gw-secret-Hq4nW8zLp2Vx6Rt0";

    public OpenAiRequestSettingsTests() => Environment.SetEnvironmentVariable(_variable, Secret);

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    private static OpenAiBackendOptions Options(string v1, string model, OpenAiRequestSettings? request = null) => new()
    {
        BaseUrl = v1,
        Model = model,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
        MaxRetries = 2,
        Request = request ?? new OpenAiRequestSettings(),
    };

    private static readonly IReadOnlyList<Message> Question = [new("user", "2+2?")];
    private static readonly SamplingSettings Sampling = new() { Temperature = 0.7, TopP = 0.9, MaxTokens = 64 };

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nsent     {actual.ToJsonString()}");

    [Fact]
    public async Task A_reasoning_model_gets_max_completion_tokens_and_no_sampling_fields()
    {
        await using var endpoint = await RecordingEndpoint.StartAsync("o4-mini");
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "o4-mini", new OpenAiRequestSettings(ReasoningEffort: "low")));
        var reply = (await client.ChatAsync([Question], Sampling))[0];

        Assert.Equal("reply 0", Assert.Single(reply).Text);
        AssertJson("""{"model":"o4-mini","messages":[{"role":"user","content":"2+2?"}],"n":1,"max_completion_tokens":64,"reasoning_effort":"low"}""",
            Assert.Single(endpoint.Requests).Body);
    }

    [Fact]
    public async Task A_plain_model_gets_max_tokens_temperature_and_top_p()
    {
        await using var endpoint = await RecordingEndpoint.StartAsync("gpt-4o-mini");
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "gpt-4o-mini"));
        await client.ChatAsync([Question], Sampling with { Seed = 3 });

        AssertJson("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"2+2?"}],"n":1,"temperature":0.7,"top_p":0.9,"max_tokens":64,"seed":3}""",
            Assert.Single(endpoint.Requests).Body);
    }

    [Fact]
    public async Task Explicit_settings_override_the_family_defaults()
    {
        await using var endpoint = await RecordingEndpoint.StartAsync("gpt-5-mini", "gpt-4.1");
        await using (var reasoning = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "gpt-5-mini", new OpenAiRequestSettings(MaxTokensField: "max_tokens", Sampling: ["temperature"]))))
            await reasoning.ChatAsync([Question], Sampling);
        await using (var plain = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "gpt-4.1", new OpenAiRequestSettings(MaxTokensField: "max_completion_tokens", Sampling: []))))
            await plain.ChatAsync([Question], Sampling);

        AssertJson("""{"model":"gpt-5-mini","messages":[{"role":"user","content":"2+2?"}],"n":1,"temperature":0.7,"max_tokens":64}""", endpoint.Requests[0].Body);
        AssertJson("""{"model":"gpt-4.1","messages":[{"role":"user","content":"2+2?"}],"n":1,"max_completion_tokens":64}""", endpoint.Requests[1].Body);
    }

    [Theory]
    [InlineData("o1", true)]
    [InlineData("o1-mini", true)]
    [InlineData("o3-mini-2025-01-31", true)]
    [InlineData("o4-mini", true)]
    [InlineData("gpt-5", true)]
    [InlineData("GPT-5-nano", true)]
    [InlineData("openai/o4-mini", true)]
    [InlineData("gpt-4o-mini", false)]
    [InlineData("gpt-4.1", false)]
    [InlineData("deepseek-ai/DeepSeek-R1", false)]
    [InlineData("Qwen/Qwen3-8B", false)]
    [InlineData("tiny-sft", false)]
    public void Reasoning_families_are_matched_by_prefix_after_the_vendor(string model, bool reasoning) =>
        Assert.Equal(reasoning, OpenAiRequestSettings.IsReasoningModel(model));

    [Fact]
    public async Task Extra_body_is_merged_last_and_may_not_set_model_or_messages()
    {
        var extra = JsonNode.Parse("""{"top_k":20,"temperature":0.6,"chat_template_kwargs":{"enable_thinking":true}}""")!.AsObject();
        await using var endpoint = await RecordingEndpoint.StartAsync("deepseek-ai/DeepSeek-R1");
        await using (var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "deepseek-ai/DeepSeek-R1", new OpenAiRequestSettings(ExtraBody: extra))))
        {
            await client.ChatAsync([Question], Sampling);
            await client.ChatAsync([Question], Sampling);
        }

        // extra_body's temperature replaces generation's; the settings object is not consumed by the first request.
        foreach (var request in endpoint.Requests)
            AssertJson("""{"model":"deepseek-ai/DeepSeek-R1","messages":[{"role":"user","content":"2+2?"}],"n":1,"temperature":0.6,"top_p":0.9,"max_tokens":64,"top_k":20,"chat_template_kwargs":{"enable_thinking":true}}""",
                request.Body);
        Assert.Equal(2, endpoint.Requests.Count);

        foreach (var key in new[] { "model", "messages" })
        {
            var error = await Assert.ThrowsAsync<HierReasonException>(() => OpenAiBackend.CreateAsync(
                Options(endpoint.V1, "deepseek-ai/DeepSeek-R1", new OpenAiRequestSettings(ExtraBody: new JsonObject { [key] = "x" }))));
            Assert.Contains($"extra_body may not set '{key}'", error.Message);
        }
    }

    [Fact]
    public async Task Headers_are_sent_with_values_from_the_environment_that_no_log_or_error_shows()
    {
        using var logs = new CapturedLogs();
        await using var endpoint = (await RecordingEndpoint.StartAsync("gpt-4o-mini"))
            .Then(200)
            // An endpoint that echoes the header back in its error text.
            .Then(400, $$$"""{"error":{"message":"gateway refused X-Gateway-Key: {{{Secret}}}","type":"invalid_request_error"}}""");
        var request = new OpenAiRequestSettings(
            Headers: new Dictionary<string, string> { ["X-Team"] = "evals" },
            HeaderEnv: new Dictionary<string, string> { ["X-Gateway-Key"] = _variable });
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "gpt-4o-mini", request), logs.Factory);

        await client.ChatAsync([Question], Sampling);
        var error = await Assert.ThrowsAsync<HierReasonException>(() => client.ChatAsync([Question], Sampling));

        Assert.All(endpoint.Requests, r =>
        {
            Assert.Equal("evals", r.Headers["X-Team"]);
            Assert.Equal(Secret, r.Headers["X-Gateway-Key"]);
        });
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Contains("gateway refused X-Gateway-Key: ***", error.Message);
        Assert.DoesNotContain(Secret, error.ToString());
        // The client's pipeline logs each request's headers, the gateway key's among them, by name only.
        Assert.Contains(logs.Lines, line => line.Contains("[X-Gateway-Key, REDACTED]", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_header_variable_that_is_not_set_fails_before_any_request_naming_header_and_variable()
    {
        await using var endpoint = await RecordingEndpoint.StartAsync("gpt-4o-mini");
        var request = new OpenAiRequestSettings(HeaderEnv: new Dictionary<string, string> { ["X-Gateway-Key"] = "HIERREASON_TEST_UNSET_HEADER_VARIABLE" });
        var error = await Assert.ThrowsAsync<HierReasonException>(() =>
            OpenAiBackend.CreateAsync(Options(endpoint.V1, "gpt-4o-mini", request) with { Name = "gateway-model" }));

        Assert.Equal("model 'gateway-model': header X-Gateway-Key reads the environment variable HIERREASON_TEST_UNSET_HEADER_VARIABLE, which is not set", error.Message);
        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public async Task N_samples_go_in_requests_of_at_most_the_models_n_and_every_choice_is_kept()
    {
        await using var endpoint = await RecordingEndpoint.StartAsync("gpt-4o-mini");
        await using (var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "gpt-4o-mini", new OpenAiRequestSettings(N: 2))))
        {
            var replies = (await client.ChatAsync([Question], Sampling with { N = 5, Seed = 7 }))[0];
            Assert.Equal(5, replies.Count);
            Assert.Equal(Enumerable.Range(0, 5).Select(i => $"reply {i}").Order(), replies.Select(r => r.Text).Order());
            Assert.Equal(new TokenUsage(15, 10, 3, 0), client.Usage);
        }
        var requests = endpoint.Requests.Select(r => (N: r.Body["n"]!.GetValue<int>(), Seed: r.Body["seed"]!.GetValue<long>())).OrderBy(r => r.Seed).ToArray();
        Assert.Equal([(2, 7L), (2, 9L), (1, 11L)], requests);

        // Without the setting, all samples go in one request and all its choices come back in order.
        await using var single = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "gpt-4o-mini"));
        var all = (await single.ChatAsync([Question], Sampling with { N = 3 }))[0];
        Assert.Equal(["reply 5", "reply 6", "reply 7"], all.Select(c => c.Text));
        Assert.Equal(3, endpoint.Requests[^1].Body["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_attempt_slower_than_timeout_seconds_is_retried_like_a_server_error()
    {
        await using var endpoint = (await RecordingEndpoint.StartAsync("o3-mini")).Then(200, delay: TimeSpan.FromSeconds(10));
        var options = Options(endpoint.V1, "o3-mini", new OpenAiRequestSettings(TimeoutSeconds: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(120), options.RequestTimeout); // the setting, not this default, must bound the attempt
        await using var client = await OpenAiBackend.CreateAsync(options);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reply = (await client.ChatAsync([Question], Sampling))[0][0];

        Assert.Equal("reply 0", reply.Text);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal(1, client.Retry.Retries);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 8);
    }

    [Theory]
    [InlineData("reasoning_content")]
    [InlineData("reasoning")]
    public async Task Reasoning_text_and_reasoning_tokens_are_kept(string field)
    {
        var answer = """
            {"id":"c","object":"chat.completion","created":1,"model":"r1","choices":[
              {"index":0,"message":{"role":"assistant","content":"4","FIELD":"2 plus 2 makes 4."},"finish_reason":"stop"},
              {"index":1,"message":{"role":"assistant","content":"four","FIELD":null},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":5,"completion_tokens":30,"total_tokens":35,"completion_tokens_details":{"reasoning_tokens":24}}}
            """.Replace("FIELD", field);
        await using var endpoint = (await RecordingEndpoint.StartAsync("deepseek-ai/DeepSeek-R1")).Then(200, answer);
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "deepseek-ai/DeepSeek-R1"));
        var replies = (await client.ChatAsync([Question], Sampling with { N = 2 }))[0];

        Assert.Equal(("4", "2 plus 2 makes 4."), (replies[0].Text, replies[0].Reasoning));
        Assert.Equal(("four", (string?)null), (replies[1].Text, replies[1].Reasoning));
        Assert.Equal(new TokenUsage(5, 30, 1, 0, ReasoningTokens: 24), client.Usage);
    }

    [Fact]
    public async Task An_episode_keeps_the_reasoning_as_its_policy_segments_metadata()
    {
        const string answer = """
            {"id":"c","object":"chat.completion","created":1,"model":"r1","choices":[
              {"index":0,"message":{"role":"assistant","content":"<answer>4</answer>","reasoning_content":"Two and two: 4."},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":5,"completion_tokens":12,"total_tokens":17}}
            """;
        await using var endpoint = (await RecordingEndpoint.StartAsync("deepseek-ai/DeepSeek-R1")).Then(200, answer);
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1, "deepseek-ai/DeepSeek-R1"));
        var policy = new HierReason.Reasoning.Policies.BackendPolicy(client, HierReason.Reasoning.Policies.PromptMode.Chat, null, new SamplingSettings { MaxTokens = 64 });
        var runner = new HierReason.Core.Episodes.EpisodeRunner(policy, HierReason.Core.Episodes.EpisodeStrategy.Vanilla, new HierReason.Core.Episodes.EpisodeLimits(64));

        var episode = Assert.Single(await runner.RunAsync([new HierReason.Core.Episodes.Episode(policy.Prompt("2+2?"))], 1, null));

        var turn = Assert.Single(episode.Completion);
        Assert.Equal("<answer>4</answer>", turn.Text);
        Assert.Equal("Two and two: 4.", turn.Metadata!["reasoning"]);
        Assert.Equal(12, turn.TokenCount);
    }
}
