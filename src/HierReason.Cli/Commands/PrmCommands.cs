using System.CommandLine;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason prm</c>: process reward models — label steps, train a PRM, score trajectories.</summary>
public static class PrmCommands
{
    public static Command Build(IServiceProvider services)
    {
        var prm = new Command("prm", "Process reward models: step labels, PRM training and step scoring (TRL's stepwise format).");
        Func<IServiceProvider, Command>[] subcommands =
        [
            PrmTrainCommand.Build,
            PrmScoreCommand.Build,
        ];
        foreach (var build in subcommands) prm.Subcommands.Add(build(services));
        return prm;
    }
}
