using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Engine.Inference;
using HierReason.Training.Prm;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason prm label</c>: Monte-Carlo step labels from a local model (<see cref="StepLabeler"/>) into TRL's
/// stepwise-supervision JSONL, resumably, then their quality against the oracle step checker when the task has one.
/// </summary>
public static class PrmLabelCommand
{
    public static Command Build(IServiceProvider services)
    {
        var defaults = new StepLabelOptions();
        var model = new Option<string>("--model") { Description = "The policy's model folder (HF layout).", Required = true };
        var dataset = new TaskItemOptions("Items to label.");
        var solutions = new Option<int>("--solutions") { Description = "Solutions sampled per item (N).", DefaultValueFactory = _ => defaults.Solutions };
        var temperature = new Option<double>("--temperature") { Description = "Temperature of the solutions.", DefaultValueFactory = _ => defaults.SolutionTemperature };
        var k = new Option<int>("--k") { Description = "Rollouts per state (K).", DefaultValueFactory = _ => defaults.K };
        var rolloutTemperature = new Option<double>("--rollout-temperature") { Description = "Temperature of the rollouts.", DefaultValueFactory = _ => defaults.RolloutTemperature };
        var rolloutTopP = new Option<double>("--rollout-top-p") { Description = "Top-p of the rollouts.", DefaultValueFactory = _ => defaults.RolloutTopP };
        var ratioS = new Option<double>("--ratio-s") { Description = "The first state is step ⌊steps·ratio_s⌋.", DefaultValueFactory = _ => defaults.RatioS };
        var ratio = new Option<double>("--ratio") { Description = "Each later step is a state with this probability.", DefaultValueFactory = _ => defaults.Ratio };
        var allSteps = new Option<bool>("--all-steps") { Description = "Every step is a state (every label estimated; best for short traces)." };
        var labels = new Option<string>("--labels") { Description = "hard (c > 0, booleans), soft (c/K, floats) or count (c, ints).", DefaultValueFactory = _ => "hard" };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens of a solution or a rollout.", DefaultValueFactory = _ => defaults.MaxNewTokens };
        var batchItems = new Option<int>("--batch-items") { Description = "Items per batch: their solutions, then all rollouts of all their states, each one engine call; the file is saved after each.", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--output", "-o") { Description = "The JSONL file to write (an existing one is resumed); quality goes to <out>.quality.json.", Required = true }.WithOldSpellings("--out");
        var modelOptions = new ModelOptions();
        var command = new Command("label", "Monte-Carlo step labels (seed 001, Math-Shepherd) in TRL's stepwise format, resumable.")
        {
            model, solutions, temperature, k, rolloutTemperature, rolloutTopP,
            ratioS, ratio, allSteps, labels, maxNew, batchItems, output,
        };
        dataset.AddTo(command);
        modelOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var registry = services.GetRequiredService<TaskRegistry>();
            var batch = parse.GetValue(batchItems);
            if (batch < 1) throw new HierReasonException($"--batch-items: expected a positive integer; found {batch}");
            var options = new StepLabelOptions
            {
                Solutions = parse.GetValue(solutions),
                SolutionTemperature = parse.GetValue(temperature),
                K = parse.GetValue(k),
                RolloutTemperature = parse.GetValue(rolloutTemperature),
                RolloutTopP = parse.GetValue(rolloutTopP),
                RatioS = parse.GetValue(ratioS),
                Ratio = parse.GetValue(ratio),
                AllSteps = parse.GetValue(allSteps),
                MaxNewTokens = parse.GetValue(maxNew),
                Seed = parse.GetValue(dataset.Seed),
            };
            options.Validate();
            var kind = LabelKinds.Parse(parse.GetValue(labels)!, "--labels");
            var (t, items) = dataset.Resolve(parse, registry);
            var checker = StepCheckerRegistry.Default.TryGet(t.Name);
            var path = parse.GetValue(output)!;

            // Checked before the model loads, so a typo costs nothing.
            var device = modelOptions.Apply(parse);
            using (var local = LocalModel.Load(parse.GetValue(model)!, device))
            {
                var run = new StepLabelRun(new StepLabeler(new LocalCompletionSampler(local), options), kind, batch);
                run.Run(path, items, t, checker, p => console.Error.WriteLine(ProgressLine(p)));
            }
            if (checker is null)
            {
                console.Out.WriteLine($"prm label: wrote {path}; task '{t.Name}' has no oracle step checker, so no label quality");
                return 0;
            }
            PrmLabelQualityCommand.Report(console, path, PrmLabelQualityCommand.DefaultOut(path));
            return 0;
        });
        return command;
    }

    private static string ProgressLine(StepLabelProgress p)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"prm label: {p.ItemsDone}/{p.ItemsTotal} items ({p.ItemsResumed} resumed), {p.Trajectories} trajectories, {p.States} states, {p.Rollouts} rollouts, {p.Elapsed.TotalSeconds:0} s");
        return p.Remaining is { } left && p.ItemsDone < p.ItemsTotal
            ? line + string.Create(CultureInfo.InvariantCulture, $", ~{left.TotalSeconds:0} s left")
            : line;
    }
}
