using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HierReason.Backends.Serving;

/// <summary>
/// An OpenAI-compatible HTTP server (Kestrel, minimal API) over the local engine: /v1/models, /v1/completions,
/// /v1/chat/completions (streamed as server-sent events on request), /health, and vLLM's /tokenizer_info, /tokenize and
/// /detokenize (<see cref="TokenizerRoutes"/>). Start it with <see cref="StartAsync"/>;
/// port 0 binds a free port (tests).
/// </summary>
public sealed class OpenAiServer : IAsyncDisposable
{
    private readonly ServeOptions _options;
    private readonly WebApplication _app;
    private readonly EngineLoop _engine;
    private readonly ILogger _log;
    private readonly byte[]? _apiKey;
    private ServedModels _models = null!;
    private RequestParser _parser = null!;
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private OpenAiServer(ServeOptions options, byte[]? apiKey, Action<ServedModel, IReadOnlyList<GenerationRequest>> batchRunner)
    {
        _options = options;
        _apiKey = apiKey;
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _log = loggers.CreateLogger("HierReason.Serve");
        _engine = new EngineLoop(options, loggers.CreateLogger("HierReason.Serve.Engine"), batchRunner);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(new ListenFailureLogFilter(loggers));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
            if (options.Host is "localhost") k.ListenLocalhost(options.Port);
            else if (IPAddress.TryParse(options.Host, out var address)) k.Listen(address, options.Port);
            else throw new HierReasonException($"serve: --host '{options.Host}': expected an IP address or localhost");
        });
        _app = builder.Build();
        Map(_app);
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234</c> (append /v1 for OpenAI clients).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The model ids served: the base model first, then the LoRA modules.</summary>
    public IReadOnlyList<string> ModelNames => _models.Names;

    /// <summary>Engine batches run, rows decoded and time spent decoding so far.</summary>
    public EngineStats EngineStats => _engine.Stats;

    /// <summary>Loads the models on the engine thread, then starts listening. A missing key variable or a bad model folder throws before binding.</summary>
    public static Task<OpenAiServer> StartAsync(ServeOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, BatchRun.Run, cancellationToken);

    /// <summary>As <see cref="StartAsync(ServeOptions, CancellationToken)"/>, decoding batches with <paramref name="batchRunner"/> (tests inject failures).</summary>
    internal static async Task<OpenAiServer> StartAsync(ServeOptions options, Action<ServedModel, IReadOnlyList<GenerationRequest>> batchRunner,
        CancellationToken cancellationToken = default)
    {
        if (options.MaxBatch < 1) throw new HierReasonException($"serve: --max-batch must be at least 1 (found {options.MaxBatch})");
        byte[]? key = null;
        if (options.ApiKeyEnv is { } env)
        {
            var value = Environment.GetEnvironmentVariable(env);
            if (string.IsNullOrEmpty(value)) throw new HierReasonException($"serve: --api-key-env {env}: the environment variable {env} is not set");
            key = Encoding.UTF8.GetBytes(value);
        }
        var server = new OpenAiServer(options, key, batchRunner);
        try
        {
            server._models = await server._engine.Loaded.WaitAsync(cancellationToken).ConfigureAwait(false);
            server._parser = new RequestParser(server._models, options.MaxChoicesPerRequest, options.MaxStopStrings);
            await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ListenFailureLogFilter.SocketError(e) is { } socket)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new HierReasonException(socket.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse
                ? $"serve: port {options.Port} on {options.Host} is already in use; pick another with --port"
                : $"serve: cannot listen on {options.Host} port {options.Port}: {socket.Message}");
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var addresses = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.BaseUrl = addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal);
        server._log.LogInformation("serving {Models} on {Url}/v1", string.Join(", ", server._models.Names), server.BaseUrl);
        return server;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires or the host is told to stop (Ctrl+C, SIGTERM).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        // ASP.NET's console lifetime takes SIGTERM for itself and only signals ApplicationStopping, so both are watched.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try { await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                if (_apiKey is not null && NeedsKey(context.Request.Path) && !Authorized(context.Request))
                    throw new OpenAiError(401, "Missing or invalid API key: send 'Authorization: Bearer <key>'.", code: "invalid_api_key", type: "authentication_error");
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (Refusal(e) is { } error && !context.Response.HasStarted)
            {
                await WriteError(context, error).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; nobody is left to answer.
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                // A bug, not the client's input: loud in the log, but still an OpenAI-shaped answer.
                _log.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
                await WriteError(context, new OpenAiError(500, "The server failed while handling the request.", type: "server_error")).ConfigureAwait(false);
            }
            // Never the headers: they carry the bearer token.
            _log.LogInformation("{Method} {Path} {Status} {Ms:F1} ms", context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });

        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        app.MapGet("/v1/models", () => Results.Text(ModelList().ToJsonString(), "application/json"));
        app.MapPost("/v1/completions", context => Generate(context, RequestKind.Completion));
        app.MapPost("/v1/chat/completions", context => Generate(context, RequestKind.Chat));
        app.MapGet("/tokenizer_info", () => Results.Text(TokenizerRoutes.Info(_models.All.First(m => m.AdapterDir is null)).ToJsonString(), "application/json"));
        app.MapPost("/tokenize", context => Answer(context, o => TokenizerRoutes.Tokenize(_models, o)));
        app.MapPost("/detokenize", context => Answer(context, o => TokenizerRoutes.Detokenize(_models, o)));
        app.MapFallback(context => throw new OpenAiError(404, $"No route {context.Request.Method} {context.Request.Path}.", code: "not_found", type: "not_found_error"));
    }

    /// <summary>Everything but /health: the /v1 routes and the tokenizer routes.</summary>
    private static bool NeedsKey(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/tokenize") || path.StartsWithSegments("/detokenize") || path.StartsWithSegments("/tokenizer_info");

    private static OpenAiError? Refusal(Exception e) => e switch
    {
        OpenAiError error => error,
        BadHttpRequestException bad => new OpenAiError(bad.StatusCode,
            bad.StatusCode == 413 ? "The request body is larger than the server accepts." : bad.Message,
            code: bad.StatusCode == 413 ? "request_too_large" : null),
        _ => null,
    };

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()), _apiKey);
    }

    private JsonObject ModelList()
    {
        var data = new JsonArray();
        var baseName = _models.All.First(m => m.AdapterDir is null).Name;
        foreach (var m in _models.All)
            data.Add(new JsonObject
            {
                ["id"] = m.Name,
                ["object"] = "model",
                ["created"] = _created,
                ["owned_by"] = "hierreason",
                ["root"] = m.AdapterDir is null ? m.Name : baseName,
                ["parent"] = m.AdapterDir is null ? null : baseName,
                ["max_model_len"] = m.Local.Info.MaxContext,
            });
        return new JsonObject { ["object"] = "list", ["data"] = data };
    }

    /// <summary>A JSON request answered at once, without the engine (the tokenizer routes).</summary>
    private static async Task Answer(HttpContext context, Func<JsonObject, JsonObject> answer)
    {
        var body = await ReadJson(context).ConfigureAwait(false);
        var result = answer(body);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task<JsonObject> ReadJson(HttpContext context)
    {
        // No content type (a bare client) is read as JSON; a different one is the client saying it sent something else.
        if (context.Request.ContentType is not null && !context.Request.HasJsonContentType())
            throw new OpenAiError(415, $"The request body must be JSON (Content-Type: application/json); found '{context.Request.ContentType}'.", code: "unsupported_media_type");
        return RequestBody.ReadAsync(context.Request.Body, context.RequestAborted);
    }

    private async Task Generate(HttpContext context, RequestKind kind)
    {
        var aborted = context.RequestAborted;
        var body = await ReadJson(context).ConfigureAwait(false);
        var request = _parser.Parse(kind, body, aborted);
        _engine.Enqueue(request);
        var id = ResponseJson.NewId(kind);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!request.Stream)
        {
            var choices = await request.Done.Task.ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(ResponseJson.Completion(request, id, created, choices).ToJsonString(), aborted).ConfigureAwait(false);
            return;
        }

        // The first delta decides the status: an engine failure before any text is still an ordinary error response.
        var reader = request.Deltas!.Reader;
        var started = false;
        var first = new HashSet<int>();
        try
        {
            await foreach (var delta in reader.ReadAllAsync(aborted).ConfigureAwait(false))
            {
                if (!started)
                {
                    context.Response.ContentType = "text/event-stream";
                    context.Response.Headers.CacheControl = "no-cache";
                    started = true;
                }
                await Send(context, ResponseJson.Chunk(request, id, created, delta, first.Add(delta.Index)), aborted).ConfigureAwait(false);
            }
        }
        catch (OpenAiError) when (started)
        {
            // Headers are gone: end the stream; the client sees no [DONE].
            return;
        }
        var results = await request.Done.Task.ConfigureAwait(false);
        if (request.StreamUsage) await Send(context, ResponseJson.UsageChunk(request, id, created, results), aborted).ConfigureAwait(false);
        await context.Response.WriteAsync("data: [DONE]\n\n", aborted).ConfigureAwait(false);
    }

    private static async Task Send(HttpContext context, JsonObject chunk, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteError(HttpContext context, OpenAiError error)
    {
        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(error.ToJson().ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        try { await _app.StopAsync().ConfigureAwait(false); }
        catch (InvalidOperationException) { }
        await _app.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
    }
}
