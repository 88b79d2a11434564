using HierReason.Backends.OpenAi;
using HierReason.Core;

namespace HierReason.Backends.Tests.OpenAi;

/// <summary>An endpoint that echoes the API key in its error text: the key must not reach any message the backend throws.</summary>
public sealed class SecretRedactionTests : IDisposable
{
    private readonly string _variable = "HIERREASON_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private const string Key = "sk-test-Zq8sVn3LwP0aRk7TyU2mEcXb";

    public SecretRedactionTests() => Environment.SetEnvironmentVariable(_variable, Key);

    private OpenAiBackendOptions Options(string v1) => new()
    {
        BaseUrl = v1,
        Model = "echo",
        ApiKeyEnv = _variable,
        MaxRetries = 0,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task A_400_that_echoes_the_key_is_reported_without_it()
    {
        await using var endpoint = await EchoingEndpoint.StartAsync();
        await using var client = await OpenAiBackend.CreateAsync(Options(endpoint.V1));

        var completion = await Assert.ThrowsAsync<HierReasonException>(() => client.CompleteAsync(["q"], new SamplingSettings { MaxTokens = 4 }));
        var chat = await Assert.ThrowsAsync<HierReasonException>(() => client.ChatAsync([[new Message("user", "q")]], new SamplingSettings { MaxTokens = 4 }));

        foreach (var error in new[] { completion, chat })
        {
            Assert.Contains("HTTP 400", error.Message);
            Assert.Contains("Authorization: ***", error.Message); // the echo is still there to read, the secret is not
            Assert.DoesNotContain(Key, error.ToString());
            Assert.DoesNotContain(Key[3..], error.ToString());
        }
    }

    [Fact]
    public async Task A_preflight_400_that_echoes_the_key_is_reported_without_it()
    {
        await using var endpoint = await EchoingEndpoint.StartAsync(rejectModels: true);

        var error = await Assert.ThrowsAsync<HierReasonException>(() => OpenAiBackend.CreateAsync(Options(endpoint.V1)));

        Assert.Contains("GET /models failed with HTTP 400", error.Message);
        Assert.DoesNotContain(Key, error.ToString());
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);
}
