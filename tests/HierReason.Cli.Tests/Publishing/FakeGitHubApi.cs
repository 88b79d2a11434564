using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Publishing;

/// <summary>One request the fake API received.</summary>
public sealed record ApiRequest(string Method, string Path, string? Authorization, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (an ephemeral port) standing in for the GitHub REST API: it records every
/// request and answers with what <see cref="Respond"/> says (by default, what the real API answers on success).
/// </summary>
public sealed class FakeGitHubApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<ApiRequest> _requests = [];
    private readonly Task _loop;

    public FakeGitHubApi()
    {
        // HttpListener cannot bind port 0: take a free port from the OS, then listen on it.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            BaseUrl = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(BaseUrl);
            try { _listener.Start(); break; }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }

    /// <summary>Existing comments on the pull request (as the list endpoint returns them).</summary>
    public List<(long Id, string Body)> Comments { get; } = [];

    /// <summary>Answers a request with (status, JSON); null falls back to the default answer.</summary>
    public Func<ApiRequest, (int Status, string Json)?> Respond { get; set; } = _ => null;

    public IReadOnlyList<ApiRequest> Requests { get { lock (_requests) return [.. _requests]; } }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new ApiRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                context.Request.Headers["Authorization"], await reader.ReadToEndAsync());
            lock (_requests) _requests.Add(request);
            var (status, json) = Respond(request) ?? Default(request);
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int, string) Default(ApiRequest r)
    {
        if (r.Method == "POST" && r.Path.EndsWith("/check-runs", StringComparison.Ordinal))
            return (201, $$"""{"id": 4242, "html_url": "{{BaseUrl}}checks/4242", "status": "completed", "name": "HierReason benchmark"}""");
        if (r.Method == "GET" && r.Path.EndsWith("/comments", StringComparison.Ordinal))
        {
            var list = new JsonArray([.. Comments.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["body"] = c.Body })]);
            return (200, list.ToJsonString());
        }
        if (r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal))
            return (201, """{"id": 777, "html_url": "https://example.test/c/777", "body": "x"}""");
        if (r.Method == "PATCH" && r.Path.Contains("/issues/comments/", StringComparison.Ordinal))
        {
            var id = r.Path[(r.Path.LastIndexOf('/') + 1)..];
            return (200, $$"""{"id": {{id}}, "html_url": "https://example.test/c/{{id}}", "body": "x"}""");
        }
        return (404, """{"message": "Not Found"}""");
    }

    public void Dispose()
    {
        _listener.Stop();
        // Closing unregisters the prefix by binding its endpoint again, which throws when another process has taken the
        // port since Stop (seen once in CI, 2026-12-07): the fake is gone either way.
        try { _listener.Close(); }
        catch (HttpListenerException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
