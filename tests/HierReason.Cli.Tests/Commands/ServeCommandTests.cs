using System.Net;
using System.Net.Sockets;

namespace HierReason.Cli.Tests.Commands;

public sealed class ServeCommandTests(TinyModelFolder folder) : IClassFixture<TinyModelFolder>
{
    [Fact]
    public async Task A_port_already_in_use_exits_2_with_one_line_naming_it()
    {
        Assert.Equal(0, folder.Init.ExitCode);
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            var port = ((IPEndPoint)holder.LocalEndpoint).Port;
            var run = await CliRun.Of("serve", "--model", folder.Model, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1");
            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Equal($"error: serve: port {port} on 127.0.0.1 is already in use; pick another with --port", line);
        }
        finally
        {
            holder.Stop();
        }
    }

    [Fact]
    public async Task A_missing_model_folder_exits_2_naming_it()
    {
        var run = await CliRun.Of("serve", "--model", "/nonexistent/hierreason-model", "--port", "0", "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/hierreason-model", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public async Task A_malformed_lora_module_exits_2()
    {
        var run = await CliRun.Of("serve", "--model", ".", "--lora", "no-equals-sign", "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("expected name=<adapter-dir>", run.Err);
    }

    [Fact]
    public async Task An_unset_api_key_variable_exits_2_before_loading()
    {
        var run = await CliRun.Of("serve", "--model", ".", "--api-key-env", "HIERREASON_TEST_SERVE_UNSET", "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("HIERREASON_TEST_SERVE_UNSET", run.Err);
    }
}

public sealed class ServePerfCommandTests
{
    [Fact]
    public async Task A_bad_client_count_exits_2_before_serving()
    {
        var run = await CliRun.Of("perf", "serve", "--clients", "1,x", "--output", Path.Combine(Path.GetTempPath(), "unused-serve.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--clients", run.Err);
    }
}
