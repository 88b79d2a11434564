using System.Diagnostics;
using HierReason.Cli;
using HierReason.Harness.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HierReason.Harness.Tests.Running;

/// <summary>
/// A remote model whose endpoint (real loopback Kestrel) answers 400 with the Authorization header echoed: the API key
/// must appear nowhere a run prints or keeps — bench's and the worker's output, the job log, the result, samples, summary;
/// nor may the value of a <c>headers</c> entry read from the environment, which the endpoint echoes too.
/// </summary>
public sealed class SecretRedactionTests : IDisposable
{
    private const string Key = "sk-test-Hn4qWz8RtYv2LpXc6MbK0sJd";
    private const string HeaderSecret = "gw-test-Pz3kQm7WnB5xTr9Vc1Ld";
    private readonly string _variable = "HIERREASON_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _headerVariable = "HIERREASON_TEST_HEADER_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly TempDir _dir = new();

    public SecretRedactionTests()
    {
        // Workers inherit them.
        Environment.SetEnvironmentVariable(_variable, Key);
        Environment.SetEnvironmentVariable(_headerVariable, HeaderSecret);
    }

    [Fact]
    public async Task An_endpoint_echoing_the_api_key_in_a_400_leaks_it_nowhere()
    {
        await using var endpoint = await StartEchoingEndpointAsync();
        var v1 = endpoint.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        var models = _dir.Write("models.json", $$"""
            { "models": [ { "name": "remote", "backend": "openai", "base_url": "{{v1}}", "model": "echo", "api_key_env": "{{_variable}}",
                "headers": { "X-Gateway-Key": { "env": "{{_headerVariable}}" } } } ] }
            """);
        var tasks = _dir.Write("tasks.json", """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = await HierReasonCli.RunAsync(
            ["bench", "--models-file", models, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs, "--runs", _dir.Combine("runs"),
             "--output", _dir.Combine("results"), "--retries", "0", "--threads", "1"], stdout, stderr);

        Assert.Equal(1, code); // the job failed
        var result = Directory.GetFiles(_dir.Combine("runs"), "*.json", SearchOption.AllDirectories).Single(f => !f.EndsWith(".job.json", StringComparison.Ordinal) && f.Contains("/jobs/", StringComparison.Ordinal));
        Assert.Contains("HTTP 400", File.ReadAllText(result)); // the error is still there to read
        Assert.True(File.Exists(_dir.Combine("results", "summary.md")));

        // The worker on its own (as SLURM or a user starts it), its stdout and stderr captured.
        var worker = WorkerCommand.Resolve();
        var start = new ProcessStartInfo(worker.FileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in worker.PrefixArgs) start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "eval", "--job", Path.ChangeExtension(result, ".job.json") }) start.ArgumentList.Add(arg);
        using var eval = Process.Start(start)!;
        var evalOut = eval.StandardOutput.ReadToEndAsync();
        var evalErr = eval.StandardError.ReadToEndAsync();
        Assert.True(eval.WaitForExit(TimeSpan.FromMinutes(2)), "the worker did not exit");
        Assert.Equal(HierReasonCli.UserError, eval.ExitCode);
        Assert.Contains("HTTP 400", await evalErr);

        var texts = new Dictionary<string, string>
        {
            ["bench stdout"] = stdout.ToString(),
            ["bench stderr"] = stderr.ToString(),
            ["worker stdout"] = await evalOut,
            ["worker stderr"] = await evalErr,
        };
        foreach (var file in Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)))
            texts[Path.GetRelativePath(_dir.Path, file)] = File.ReadAllText(file);
        Assert.Contains(texts.Keys, k => k.EndsWith(".log", StringComparison.Ordinal));
        Assert.All(texts, t => Assert.False(t.Value.Contains(Key[3..], StringComparison.Ordinal), $"{t.Key} holds the API key:\n{t.Value}"));
        Assert.All(texts, t => Assert.False(t.Value.Contains(HeaderSecret[3..], StringComparison.Ordinal), $"{t.Key} holds the header's secret:\n{t.Value}"));
        // The echo reached the outputs, masked: the header was sent and its value redacted, not merely absent.
        Assert.Contains(texts, t => t.Value.Contains("X-Gateway-Key: ***", StringComparison.Ordinal));
    }

    /// <summary>GET /v1/models lists "echo"; every POST is a 400 whose message echoes the Authorization and X-Gateway-Key headers.</summary>
    private static async Task<WebApplication> StartEchoingEndpointAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/v1/models", () => Results.Text("""{"object":"list","data":[{"id":"echo","object":"model","created":1,"owned_by":"test"}]}""", "application/json"));
        app.MapPost("/v1/{**route}", (HttpContext context) =>
        {
            context.Response.StatusCode = 400;
            return context.Response.WriteAsJsonAsync(new { error = new { message = $"rejected request with Authorization: {context.Request.Headers.Authorization}; X-Gateway-Key: {context.Request.Headers["X-Gateway-Key"]}", type = "invalid_request_error" } });
        });
        await app.StartAsync();
        return app;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        Environment.SetEnvironmentVariable(_headerVariable, null);
        _dir.Dispose();
    }
}
