using System.Reflection;
using HierReason.Core;

namespace HierReason.Harness.Slurm;

/// <summary>
/// How a SLURM task starts <c>hierreason</c>: the words before the subcommand, all absolute paths
/// (the task runs in another directory, maybe on another node sharing the file system).
/// </summary>
public sealed record WorkerCommand(IReadOnlyList<string> Words)
{
    /// <summary>From a user-given path: an apphost runs as is, a <c>.dll</c> runs as <c>dotnet &lt;dll&gt;</c>.</summary>
    public static WorkerCommand FromPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new HierReasonException("--hierreason: expected the path of the hierreason executable or hierreason.dll; found an empty value");
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new HierReasonException($"--hierreason: expected an existing file; found {full} (no such file)");
        return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new([DotnetHost(), full]) : new([full]);
    }

    /// <summary>
    /// The running CLI itself: its apphost when the process is one, else <c>dotnet &lt;entry dll&gt;</c>
    /// (what <c>dotnet hierreason.dll</c> and <c>dotnet run</c> start).
    /// </summary>
    public static WorkerCommand Current()
    {
        var process = Environment.ProcessPath ?? throw new HierReasonException("cannot tell which executable is running; pass --hierreason <path>");
        var name = Path.GetFileNameWithoutExtension(process);
        if (!string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase)) return new([Path.GetFullPath(process)]);
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry)) throw new HierReasonException("cannot tell which hierreason.dll is running; pass --hierreason <path>");
        return new([Path.GetFullPath(process), Path.GetFullPath(entry)]);
    }

    /// <summary>The command line for bash, each word quoted.</summary>
    public string ToShell() => ShellQuote.Join(Words);

    private static string DotnetHost()
    {
        var process = Environment.ProcessPath;
        if (process is not null && string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase))
            return Path.GetFullPath(process);
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }
}
