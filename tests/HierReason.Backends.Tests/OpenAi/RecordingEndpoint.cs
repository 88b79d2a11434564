using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HierReason.Backends.Tests.OpenAi;

/// <summary>
/// A real loopback endpoint (Kestrel) that keeps every POST to /v1/chat/completions — its parsed body and its headers —
/// and answers with as many choices as the body's <c>n</c> asked for ("reply 0", "reply 1", … numbered over all requests),
/// or with the scripted answers given by <see cref="Then"/> first. /v1/models lists the given model ids.
/// </summary>
internal sealed class RecordingEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly ConcurrentQueue<(int Status, string? Body, TimeSpan Delay)> _script = new();
    private int _replies;

    /// <summary>One request as received: its JSON body and its headers (names as sent, values joined).</summary>
    public sealed record Request(JsonObject Body, IReadOnlyDictionary<string, string> Headers);

    private RecordingEndpoint(WebApplication app) => _app = app;

    public string V1 { get; private set; } = "";

    /// <summary>Requests received, in arrival order.</summary>
    public IReadOnlyList<Request> Requests => _requests.ToArray();

    /// <summary>The next answer: a status and body (null: the generated reply), after a delay; used once each, in order.</summary>
    public RecordingEndpoint Then(int status, string? body = null, TimeSpan delay = default)
    {
        _script.Enqueue((status, body, delay));
        return this;
    }

    public static async Task<RecordingEndpoint> StartAsync(params string[] models)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new RecordingEndpoint(app);
        var list = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(models.Select(m => (JsonNode)new JsonObject { ["id"] = m, ["object"] = "model", ["created"] = 1, ["owned_by"] = "test" }).ToArray()),
        };
        app.MapGet("/v1/models", () => Results.Text(list.ToJsonString(), "application/json"));
        app.MapPost("/v1/chat/completions", endpoint.Answer);
        await app.StartAsync();
        endpoint.V1 = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return endpoint;
    }

    private async Task Answer(HttpContext context)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
        _requests.Enqueue(new Request(body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        var (status, scripted, delay) = _script.TryDequeue(out var step) ? step : (200, null, TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(scripted ?? Reply(body["n"]?.GetValue<int>() ?? 1));
    }

    private string Reply(int n)
    {
        var choices = new JsonArray();
        for (var i = 0; i < n; i++)
        {
            var number = Interlocked.Increment(ref _replies) - 1;
            choices.Add(new JsonObject
            {
                ["index"] = i,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = $"reply {number}" },
                ["finish_reason"] = "stop",
            });
        }
        return new JsonObject
        {
            ["id"] = "chatcmpl-rec",
            ["object"] = "chat.completion",
            ["created"] = 1,
            ["model"] = "recorded",
            ["choices"] = choices,
            ["usage"] = new JsonObject { ["prompt_tokens"] = 5, ["completion_tokens"] = 2 * n, ["total_tokens"] = 5 + 2 * n },
        }.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
