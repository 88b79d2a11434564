using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Cli.Init;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason init [DIR]</c>: scaffolds a project the installed tool trains and benchmarks in (see
/// <see cref="ProjectScaffold"/>). Refuses to overwrite (exit 2, naming the files) unless <c>--force</c>.
/// </summary>
public static class InitCommand
{
    public static Command Build(IServiceProvider services)
    {
        var directory = new Argument<string>("dir") { Description = "The project folder (created if missing).", DefaultValueFactory = _ => "." };
        var force = new Option<bool>("--force") { Description = "Overwrite files that already exist." };
        var command = new Command("init",
            "Write a starter project: models.json, tasks.json, the tiny-sft experiment (with its _base_ chain and task configs), " +
            "a GitHub workflow that trains, benchmarks and verifies with the installed tool, the JSON Schemas the files name (schemas/), a .gitignore and a README.")
        {
            directory, force,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var dir = parse.GetValue(directory)!;
            var written = ProjectScaffold.Write(dir, parse.GetValue(force));
            foreach (var path in written) console.Out.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
            var cd = Path.GetFullPath(dir) == Path.GetFullPath(".") ? "" : $"cd {dir} && ";
            console.Out.WriteLine();
            console.Out.WriteLine("Next:");
            (string Command, string Why)[] next =
            [
                ($"{cd}hierreason train {ProjectScaffold.Experiment}", "the tiny model, about 8 minutes on 2 cores"),
                ("hierreason bench", "results in artifacts/benchmark_results/"),
                ("hierreason verify artifacts/benchmark_results --accept", "approve the first results as the snapshot"),
            ];
            var width = next.Max(n => n.Command.Length);
            foreach (var (line, why) in next) console.Out.WriteLine($"  {line.PadRight(width)}   # {why}");
            return 0;
        });
        return command;
    }
}
