using System.Net;
using System.Net.Sockets;
using HierReason.Backends.OpenAi;
using HierReason.Core;

namespace HierReason.Backends.Tests.OpenAi;

/// <summary>The client's failure handling: retries with backoff, no retry of a client error, timeouts, and the preflight checks.</summary>
public sealed class OpenAiBackendTests
{
    private static OpenAiBackendOptions Options(string v1) => new()
    {
        BaseUrl = v1,
        Model = "scripted",
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        MaxRetries = 3,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private static readonly SamplingSettings Settings = new() { MaxTokens = 4 };

    [Fact]
    public async Task A_429_then_200_is_retried_once_and_succeeds()
    {
        await using var endpoint = (await ScriptedEndpoint.StartAsync()).Then(429).Then(200);
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1));
        var completion = (await client.CompleteAsync(["q"], Settings))[0][0];

        Assert.Equal("forty-two", completion.Text);
        Assert.Equal(2, endpoint.Calls);
        Assert.Equal(new TokenUsage(3, 2, 1, 1), client.Usage);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_retries_run_out()
    {
        await using var endpoint = (await ScriptedEndpoint.StartAsync()).Then(503);
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1));
        var error = await Assert.ThrowsAsync<HierReasonException>(() => client.CompleteAsync(["q"], Settings));

        Assert.Equal(4, endpoint.Calls);
        Assert.Contains("4 attempts", error.Message);
        Assert.Contains("HTTP 503", error.Message);
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_its_message_is_shown()
    {
        await using var endpoint = (await ScriptedEndpoint.StartAsync())
            .Then(400, """{"error":{"message":"max_tokens is too large","type":"invalid_request_error","param":"max_tokens","code":null}}""");
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1));
        var error = await Assert.ThrowsAsync<HierReasonException>(() => client.CompleteAsync(["q"], Settings));

        Assert.Equal(1, endpoint.Calls);
        Assert.Contains("max_tokens is too large", error.Message);
    }

    [Fact]
    public async Task An_attempt_slower_than_the_timeout_is_retried_then_reported()
    {
        await using var endpoint = (await ScriptedEndpoint.StartAsync()).Then(200, delay: TimeSpan.FromSeconds(5));
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1) with { RequestTimeout = TimeSpan.FromMilliseconds(300), MaxRetries = 1 });
        var error = await Assert.ThrowsAsync<HierReasonException>(() => client.CompleteAsync(["q"], Settings));

        Assert.Equal(2, endpoint.Calls);
        Assert.Contains("no answer within", error.Message);
    }

    [Theory]
    [InlineData(0.3, 10)]
    [InlineData(20, 20)]
    [InlineData(120, 30)]
    public void The_preflight_waits_at_least_10_and_at_most_30_seconds(double requestSeconds, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), OpenAiBackend.PreflightTimeout(TimeSpan.FromSeconds(requestSeconds)));

    [Fact]
    public async Task A_missing_key_variable_fails_before_any_request_naming_the_variable()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        var error = await Assert.ThrowsAsync<HierReasonException>(() =>
            OpenAiBackend.CreateAsync(Options(endpoint.V1) with { ApiKeyEnv = "HIERREASON_TEST_UNSET_KEY_VARIABLE" }));

        Assert.Contains("HIERREASON_TEST_UNSET_KEY_VARIABLE", error.Message);
        Assert.Contains("not set", error.Message);
        Assert.Equal(0, endpoint.Calls);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_the_preflight_clearly()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAsync<HierReasonException>(() => OpenAiBackend.CreateAsync(Options($"http://127.0.0.1:{port}/v1")));
        Assert.Contains("cannot reach", error.Message);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
    }

    [Fact]
    public async Task A_model_the_endpoint_does_not_serve_fails_the_preflight()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        var error = await Assert.ThrowsAsync<HierReasonException>(() => OpenAiBackend.CreateAsync(Options(endpoint.V1) with { Model = "other" }));
        Assert.Contains("does not serve 'other'", error.Message);
        Assert.Contains("scripted", error.Message);
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_with_jitter_and_honours_retry_after()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), TimeSpan.FromSeconds(1));
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var ceiling = Math.Min(1000, 100 * Math.Pow(2, attempt - 1));
            var delays = Enumerable.Range(0, 200).Select(_ => policy.Delay(attempt, null).TotalMilliseconds).ToArray();
            Assert.All(delays, d => Assert.InRange(d, 0, ceiling));
            Assert.True(delays.Distinct().Count() > 100, "jitter: delays should vary");
            Assert.True(delays.Max() > ceiling * 0.8, $"attempt {attempt}: the range should reach near its ceiling {ceiling}");
        }
        Assert.Equal(TimeSpan.FromMilliseconds(700), policy.Delay(1, TimeSpan.FromMilliseconds(700)));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), policy.Delay(1, TimeSpan.FromSeconds(30)));
    }
}
