using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HierReason.Backends.Tests.OpenAi;

/// <summary>
/// A real loopback endpoint (Kestrel) of the careless kind: it answers every POST — and, when asked, GET /v1/models —
/// with a 400 whose error message echoes the request's Authorization header. /v1/models otherwise lists "echo".
/// </summary>
internal sealed class EchoingEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoingEndpoint(WebApplication app) => _app = app;

    public string V1 { get; private set; } = "";

    public static async Task<EchoingEndpoint> StartAsync(bool rejectModels = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/v1/models", context => rejectModels
            ? Echo(context)
            : context.Response.WriteAsJsonAsync(new { @object = "list", data = new[] { new { id = "echo", @object = "model", created = 1, owned_by = "test" } } }));
        app.MapPost("/v1/{**route}", Echo);
        await app.StartAsync();
        var endpoint = new EchoingEndpoint(app);
        endpoint.V1 = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return endpoint;
    }

    private static Task Echo(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var key = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
        context.Response.StatusCode = 400;
        return context.Response.WriteAsJsonAsync(new
        {
            error = new { message = $"bad request; you sent Authorization: {authorization} (key {key})", type = "invalid_request_error", param = (string?)null, code = (string?)null },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
