using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using HierReason.Harness.Running;

namespace HierReason.Cli.Tests.Commands;

/// <summary>
/// A <c>hierreason</c> server (<c>serve</c>, <c>retrieve serve</c>) running as its own process on a port the OS picks
/// (<c>--port 0</c>): ready once it prints its "serving … at URL" line; killed with its children on dispose.
/// </summary>
internal sealed partial class CliServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private CliServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The URL of the readiness line (<c>http://127.0.0.1:PORT/v1</c> for serve, <c>…/retrieve</c> for retrieve serve).</summary>
    public string Url { get; }

    /// <summary>Starts <c>hierreason.dll</c> (beside this assembly) with <paramref name="args"/> and waits for its readiness line.</summary>
    public static async Task<CliServerProcess> StartAsync(IReadOnlyList<string> args, TimeSpan timeout)
    {
        var worker = WorkerCommand.Resolve();
        var info = new ProcessStartInfo(worker.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in worker.PrefixArgs.Concat(args)) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info };
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var err = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && Readiness().Match(e.Data) is { Success: true } m) ready.TrySetResult(m.Groups["url"].Value);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (err) err.AppendLine(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"hierreason {string.Join(' ', args)} exited before serving:\n{Text(err)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await ready.Task.WaitAsync(timeout);
            return new CliServerProcess(process, url);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Kill(process);
            process.Dispose();
            throw new Xunit.Sdk.XunitException($"hierreason {string.Join(' ', args)} did not get ready: {e.Message}\n{Text(err)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* it exited meanwhile */ }
    }

    private static string Text(StringBuilder err)
    {
        lock (err) return err.ToString();
    }

    [GeneratedRegex(@"^serving .* at (?<url>http://\S+) \(Ctrl\+C stops\)$")]
    private static partial Regex Readiness();
}
