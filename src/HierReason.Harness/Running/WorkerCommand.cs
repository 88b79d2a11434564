using System.Reflection;

namespace HierReason.Harness.Running;

/// <summary>How to start a worker: the executable and the arguments that come before <c>eval …</c>.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> PrefixArgs)
{
    /// <summary>Environment variable naming the worker (hierreason.dll or an apphost) when the orchestrator runs inside another host (tests).</summary>
    public const string Variable = "HIERREASON_WORKER";

    /// <summary>
    /// The worker is the orchestrator's own executable: <see cref="Variable"/> when set; else this process when it is
    /// hierreason (apphost, or <c>dotnet hierreason.dll</c>); else hierreason.dll next to this assembly.
    /// </summary>
    public static WorkerCommand Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(configured)) return FromPath(configured);
        var entry = Assembly.GetEntryAssembly();
        var processPath = Environment.ProcessPath ?? "dotnet";
        if (entry?.GetName().Name == "hierreason")
        {
            var host = Path.GetFileNameWithoutExtension(processPath);
            return host == "dotnet" ? new WorkerCommand(processPath, [entry.Location]) : new WorkerCommand(processPath, []);
        }
        var beside = Path.Combine(AppContext.BaseDirectory, "hierreason.dll");
        if (File.Exists(beside)) return FromPath(beside);
        throw new Core.HierReasonException($"cannot find the hierreason worker: set {Variable} to the path of hierreason.dll");
    }

    public static WorkerCommand FromPath(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new WorkerCommand(DotnetHost(), [Path.GetFullPath(path)])
            : new WorkerCommand(Path.GetFullPath(path), []);

    private static string DotnetHost()
    {
        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet") return processPath;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }
}
