using System.CommandLine;
using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Engine.Prm;
using HierReason.Training.Prm;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason prm score</c>: per-step rewards and a trajectory score for every line of a stepwise JSONL file.</summary>
public static class PrmScoreCommand
{
    public static Command Build(IServiceProvider services)
    {
        var prm = new Option<string>("--prm") { Description = "The PRM folder written by 'hierreason prm train'.", Required = true };
        var data = new Option<string>("--data") { Description = "Stepwise JSONL ({\"prompt\", \"completions\"}; with \"labels\" the step accuracy and AUC are printed).", Required = true };
        var reduction = new Option<string>("--reduction") { Description = "Trajectory score from step rewards: product, min, last or sum.", DefaultValueFactory = _ => "product" };
        var probLabels = new Option<string?>("--prob-labels") { Description = "Comma-separated classes whose probabilities make a step's reward (default: the PRM's prob_labels)." };
        var batch = new Option<int>("--batch-size") { Description = "Trajectories per forward pass.", DefaultValueFactory = _ => 16 };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per trajectory; steps past it are not scored.", DefaultValueFactory = _ => StepSequence.DefaultMaxLength };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the input lines with step_scores, score and reduction added." }.WithOldSpellings("--out");
        var command = new Command("score", "Score trajectories with a process reward model: p_t per step and a product/min/last/sum reduction.")
        {
            prm, data, reduction, probLabels, batch, maxLength, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            if (parse.GetValue(batch) < 1) throw new HierReasonException("--batch-size: expected at least 1");
            var outcome = PrmScoring.Run(parse.GetValue(prm)!, parse.GetValue(data)!, parse.GetValue(output), TrajectoryReductions.Parse(parse.GetValue(reduction)!),
                ParseClasses(parse.GetValue(probLabels)), parse.GetValue(batch), parse.GetValue(maxLength), StepSequence.DefaultSeparator, console.Error.WriteLine);
            var scored = outcome.Scores.Where(s => !double.IsNaN(s.Score)).Select(s => s.Score).ToList();
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scored {outcome.Scores.Count} trajectories, {outcome.Scores.Sum(s => s.StepScores.Count)} steps; mean score {(scored.Count > 0 ? scored.Average() : double.NaN):0.0000}"));
            if (outcome.Labelled is { } labelled) console.Out.WriteLine("labelled steps: " + labelled.Describe());
            if (parse.GetValue(output) is { } path) console.Out.WriteLine("wrote " + path);
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<int>? ParseClasses(string? text) =>
        text is null ? null
        : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new HierReasonException($"--prob-labels: '{s}' is not a class id"))
            .ToList();
}
