using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HierReason.Backends.Tests.OpenAi;

/// <summary>
/// A real loopback HTTP endpoint (Kestrel) whose /v1/completions answers follow a script — e.g. 429, then 200 — so the
/// client's retries are tested against real sockets. /v1/chat/completions always answers <see cref="ChatCompletion"/>;
/// every request body is kept (<see cref="Bodies"/>). /v1/models lists "scripted".
/// </summary>
internal sealed class ScriptedEndpoint : IAsyncDisposable
{
    public const string Completion = """{"id":"cmpl-1","object":"text_completion","created":1,"model":"scripted","choices":[{"index":0,"text":"forty-two","logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";

    public const string ChatCompletion = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"scripted","choices":[{"index":0,"message":{"role":"assistant","content":"{\"next_thought_type\": \"Finish thinking\"}"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12}}""";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly ConcurrentQueue<(int Status, string Body, TimeSpan Delay, string? RetryAfter)> _script = new();

    private ScriptedEndpoint(WebApplication app) => _app = app;

    public string V1 { get; private set; } = "";

    /// <summary>Requests that reached /v1/completions.</summary>
    public int Calls => _calls;
    private int _calls;

    /// <summary>The bodies of the POSTs received, in order (both routes).</summary>
    public IReadOnlyList<string> Bodies => _bodies.ToArray();

    /// <summary>Answers given in order; once the script is spent every answer is the last one.</summary>
    public ScriptedEndpoint Then(int status, string? body = null, TimeSpan delay = default, string? retryAfter = null)
    {
        _script.Enqueue((status, body ?? (status == 200 ? Completion : """{"error":{"message":"scripted failure","type":"server_error","param":null,"code":null}}"""), delay, retryAfter));
        return this;
    }

    public static async Task<ScriptedEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new ScriptedEndpoint(app);
        app.MapGet("/v1/models", () => Results.Text("""{"object":"list","data":[{"id":"scripted","object":"model","created":1,"owned_by":"test"}]}""", "application/json"));
        app.MapPost("/v1/completions", endpoint.Answer);
        app.MapPost("/v1/chat/completions", endpoint.AnswerChat);
        await app.StartAsync();
        endpoint.V1 = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return endpoint;
    }

    private async Task AnswerChat(HttpContext context)
    {
        _bodies.Enqueue(await new StreamReader(context.Request.Body).ReadToEndAsync());
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(ChatCompletion);
    }

    private async Task Answer(HttpContext context)
    {
        _bodies.Enqueue(await new StreamReader(context.Request.Body).ReadToEndAsync());
        Interlocked.Increment(ref _calls);
        var step = _script.Count > 1 ? (_script.TryDequeue(out var s) ? s : default) : (_script.TryPeek(out var last) ? last : (200, Completion, TimeSpan.Zero, null));
        if (step.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(step.Delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        context.Response.StatusCode = step.Status;
        if (step.RetryAfter is not null) context.Response.Headers.RetryAfter = step.RetryAfter;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(step.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
