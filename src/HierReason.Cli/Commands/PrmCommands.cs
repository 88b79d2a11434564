using System.CommandLine;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason prm</c>: process rewards (seed 001) — label steps, check the labels, train a PRM, score trajectories. Only lists its subcommands, each in its own file.</summary>
public static class PrmCommands
{
    public static Command Build(IServiceProvider services)
    {
        var prm = new Command("prm", "Process rewards: Monte-Carlo step labels and their quality, PRM training and step scoring (TRL's stepwise format).");
        Func<IServiceProvider, Command>[] subcommands =
        [
            PrmLabelCommand.Build,
            PrmLabelQualityCommand.Build,
            PrmTrainCommand.Build,
            PrmScoreCommand.Build,
        ];
        foreach (var build in subcommands) prm.Subcommands.Add(build(services));
        return prm;
    }
}
