using System.CommandLine;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason prm</c>: process rewards (seed 001). Only lists its subcommands, each in its own file.</summary>
public static class PrmCommands
{
    public static Command Build(IServiceProvider services) => new("prm", "Process rewards: Monte-Carlo step labels and their quality.")
    {
        PrmLabelCommand.Build(services),
        PrmLabelQualityCommand.Build(services),
    };
}
