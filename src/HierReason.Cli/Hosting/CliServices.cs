using HierReason.Core.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HierReason.Cli.Hosting;

/// <summary>
/// The CLI's services: console writers, the task registry and logging to stderr. A plain service
/// collection rather than a full generic host, because start-up time is felt on every command.
/// </summary>
public static class CliServices
{
    /// <summary>Environment variable that sets the log level (trace, debug, information, warning, error).</summary>
    public const string LogLevelVariable = "HIERREASON_LOG_LEVEL";

    public static ServiceProvider Create(TextWriter stdout, TextWriter stderr, TaskRegistry? registry = null)
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(LogLevelVariable), ignoreCase: true, out var l) ? l : LogLevel.Warning;
        var services = new ServiceCollection();
        services.AddSingleton(new CliConsole(stdout, stderr));
        services.AddSingleton(registry ?? TaskRegistry.Default);
        services.AddLogging(b => b.ClearProviders().SetMinimumLevel(level).AddProvider(new TextWriterLoggerProvider(stderr, level)));
        return services.BuildServiceProvider();
    }
}
