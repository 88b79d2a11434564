using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HierReason.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HierReason.Retrieval.Serving;

/// <summary>
/// Search-R1's retrieval service over any <see cref="IRetriever"/> (Kestrel, minimal API): POST /retrieve and GET
/// /health. A malformed request is a 4xx with <c>{"error": {"message", "type", "param", "code"}}</c> naming the field,
/// and the server keeps serving.
/// </summary>
public sealed class RetrievalServer : IAsyncDisposable
{
    private readonly IRetriever _retriever;
    private readonly RetrievalServerOptions _options;
    private readonly WebApplication _app;
    private readonly ILogger _log;

    private RetrievalServer(IRetriever retriever, RetrievalServerOptions options)
    {
        _retriever = retriever;
        _options = options;
        _log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("HierReason.Retrieve");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // The host's own logs stay out: a bind failure is reported once, as a one-line user error, by StartAsync.
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
            if (options.Host is "localhost") k.ListenLocalhost(options.Port);
            else if (IPAddress.TryParse(options.Host, out var address)) k.Listen(address, options.Port);
            else throw new HierReasonException($"retrieve serve: --host '{options.Host}': expected an IP address or localhost");
        });
        _app = builder.Build();
        Map(_app);
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:8001</c>; the endpoint is <c>{BaseUrl}/retrieve</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<RetrievalServer> StartAsync(IRetriever retriever, RetrievalServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        if (options.Port is < 0 or > 65535) throw new HierReasonException($"retrieve serve: --port: expected 0-65535; found {options.Port}");
        if (options.DefaultTopK is < 1 or > RetrieveContract.MaxTopK)
            throw new HierReasonException($"retrieve serve: --k: expected 1-{RetrieveContract.MaxTopK}; found {options.DefaultTopK}");
        var server = new RetrievalServer(retriever, options);
        try
        {
            await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SocketError(e) is { } socket)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new HierReasonException(socket.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse
                ? $"retrieve serve: port {options.Port} on {options.Host} is already in use; pick another with --port"
                : $"retrieve serve: cannot listen on {options.Host} port {options.Port}: {socket.Message}");
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var addresses = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.BaseUrl = addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal);
        server._log.LogInformation("retrieval on {Url}/retrieve", server.BaseUrl);
        return server;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires or the host is told to stop (Ctrl+C, SIGTERM).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try { await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    private static SocketException? SocketError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException socket) return socket;
        return null;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
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
                _log.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
                await WriteError(context, new RetrievalError(500, "The server failed while handling the request.", code: "server_error")).ConfigureAwait(false);
            }
            _log.LogInformation("{Method} {Path} {Status} {Ms:F1} ms", context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        app.MapPost("/retrieve", Retrieve);
        app.MapMethods("/retrieve", ["GET", "PUT", "PATCH", "DELETE"], context =>
            throw new RetrievalError(405, $"{context.Request.Method} /retrieve: send POST with {{\"queries\": [...]}}.", code: "method_not_allowed"));
        app.MapFallback(context => throw new RetrievalError(404, $"No route {context.Request.Method} {context.Request.Path}; POST /retrieve or GET /health.", code: "not_found"));
    }

    private async Task Retrieve(HttpContext context)
    {
        var aborted = context.RequestAborted;
        RetrieveRequest request;
        // Any content type is read as JSON: Search-R1 clients post both json= (application/json) and data=json.dumps(...) (none).
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, aborted).ConfigureAwait(false);
            request = RetrieveContract.ParseRequest(body.RootElement, _options.DefaultTopK);
        }
        catch (JsonException e)
        {
            throw RetrievalError.BadRequest("The request body is not valid JSON: " + e.Message, null, "invalid_json");
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json decodes strings on first read and throws here on invalid UTF-8 or a lone surrogate.
            throw RetrievalError.BadRequest("The request body holds text that is not valid Unicode: " + e.Message, null, "invalid_json");
        }
        var results = await _retriever.RetrieveAsync(request.Queries, request.TopK, aborted).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(RetrieveContract.Response(results, request.ReturnScores).ToJsonString(), aborted).ConfigureAwait(false);
    }

    private static RetrievalError? Refusal(Exception e) => e switch
    {
        RetrievalError error => error,
        BadHttpRequestException bad => new RetrievalError(bad.StatusCode,
            bad.StatusCode == 413 ? "The request body is larger than the server accepts." : bad.Message,
            code: bad.StatusCode == 413 ? "request_too_large" : "bad_request"),
        _ => null,
    };

    private static Task WriteError(HttpContext context, RetrievalError error)
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
    }
}
