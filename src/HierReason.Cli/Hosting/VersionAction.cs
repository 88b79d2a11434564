using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace HierReason.Cli.Hosting;

/// <summary>Prints this tool's version; the built-in one reads the entry assembly, which is a test host when run in-process.</summary>
public sealed class VersionAction : SynchronousCommandLineAction
{
    public static string Version { get; } =
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version?.ToString() ?? "unknown";

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Version);
        return 0;
    }
}
