using System.CommandLine;
using HierReason.Cli.Commands;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli;

/// <summary>
/// The <c>hierreason</c> command line: builds the command tree and runs it against the given
/// writers, so tests run it in-process. User errors (<see cref="HierReasonException"/>, <see cref="EngineException"/>)
/// exit 2 with their message; bugs exit 1 loudly.
/// </summary>
public static class HierReasonCli
{
    public const int UserError = 2;
    public const int Bug = 1;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
        => RunAsync(args, stdout, stderr, TaskRegistry.Default);

    /// <summary>Runs against another set of tasks (tests, or hosts that register their own).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TaskRegistry registry)
    {
        await using var services = CliServices.Create(stdout, stderr, registry);
        // Deprecated config keys warn on this run's error writer (in-process runs and tests included).
        using var deprecations = Core.Configs.ConfigDeprecation.RedirectTo(stderr);
        var root = BuildRoot(services);
        var parse = root.Parse(args);
        foreach (var warning in OldSpellings.Warnings(parse)) await stderr.WriteLineAsync(warning);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await stderr.WriteLineAsync("error: " + error.Message);
            await stderr.WriteLineAsync("Run 'hierreason --help' (or '<command> --help') for usage.");
            return UserError;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e) when (e is HierReasonException or EngineException)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            // HIERREASON_TRACE=1: where a user error came from, for a bug report.
            if (Environment.GetEnvironmentVariable("HIERREASON_TRACE") is "1" or "true") await stderr.WriteLineAsync(e.ToString());
            return UserError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await stderr.WriteLineAsync(e.ToString());
            return Bug;
        }
    }

    /// <summary>The root command; a command group is added here with one line.</summary>
    public static RootCommand BuildRoot(IServiceProvider services)
    {
        var root = new RootCommand("HierReason: train and benchmark language models on procedurally generated, verifiable reasoning tasks.");
        foreach (var option in root.Options)
            if (option is VersionOption version) version.Action = new VersionAction();
        root.Subcommands.Add(InitCommand.Build(services));
        root.Subcommands.Add(TasksCommands.Build(services));
        root.Subcommands.Add(PerfCommands.Build(services));
        root.Subcommands.Add(ModelCommands.Build(services));
        root.Subcommands.Add(GenerateCommands.Build(services));
        root.Subcommands.Add(TrainCommands.Build(services));
        root.Subcommands.Add(DpoCommands.Build(services));
        root.Subcommands.Add(ServeCommands.Build(services));
        root.Subcommands.Add(RetrieveCommands.Build(services));
        root.Subcommands.Add(PublishCommands.Build(services));
        root.Subcommands.Add(BenchCommands.Build(services));
        root.Subcommands.Add(EvalCommands.Build(services));
        root.Subcommands.Add(BenchCommands.Collect(services));
        root.Subcommands.Add(PlotCommand.Build(services));
        root.Subcommands.Add(VerifyCommand.Build(services));
        root.Subcommands.Add(ReportCommand.Build(services));
        root.Subcommands.Add(HistoryCommand.Build(services));
        root.Subcommands.Add(HierarchicalSummaryCommand.Build(services));
        root.Subcommands.Add(ProcessSummaryCommand.Build(services));
        root.Subcommands.Add(TaxonomySummaryCommand.Build(services));
        root.Subcommands.Add(PrmCommands.Build(services));
        root.Subcommands.Add(TaxonomyCommands.Build(services));
        root.Subcommands.Add(SlurmCommands.Build(services));
        root.Subcommands.Add(SchemaCommand.Build(services));
        OldSpellings.HideFromHelp(root);
        return root;
    }
}
