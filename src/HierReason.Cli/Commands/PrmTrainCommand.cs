using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Training.Prm;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason prm train</c>: a token-classification PRM on a causal LM's trunk, from stepwise-labelled JSONL.</summary>
public static class PrmTrainCommand
{
    public static Command Build(IServiceProvider services)
    {
        var defaults = new PrmTrainSettings();
        var data = new Option<string[]>("--data")
        {
            Description = "Stepwise JSONL: {\"prompt\", \"completions\": [steps], \"labels\": [bool or 0..1]} per line; repeat the option to train on several files (e.g. one per task).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var outcome = new Option<bool>("--outcome-labels") { Description = "Label every step with its solution's final_correct instead (an outcome reward model, ORM; needs prm label files). Score it with --reduction last." };
        var model = new Option<string>("--model") { Description = "The causal LM whose trunk the PRM starts from (e.g. the SFT model); its tokenizer is used and copied.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The PRM folder to write (config.json, model.safetensors, tokenizer, training_summary.json).", Required = true }.WithOldSpellings("--out");
        var lr = new Option<double>("--lr") { Description = "Peak AdamW learning rate (TRL's default 1e-5; a tiny model's fresh head wants about 1e-4).", DefaultValueFactory = _ => defaults.LearningRate };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training trajectories.", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Trajectories per optimiser step (all their steps in one forward pass).", DefaultValueFactory = _ => defaults.BatchSize };
        var heldOut = new Option<double>("--held-out") { Description = "Fraction of trajectories kept out of training to measure step accuracy and AUC.", DefaultValueFactory = _ => defaults.HeldOut };
        var seed = new Option<long>("--seed") { Description = "Seeds the split, the shuffling and the head's initialisation.", DefaultValueFactory = _ => defaults.Seed };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per trajectory; steps past it are cut (TRL's max_length).", DefaultValueFactory = _ => defaults.MaxLength };
        var numLabels = new Option<int>("--num-labels") { Description = "Classes of the head: 2 (bad/good step) or more for count labels (seed 001's 4).", DefaultValueFactory = _ => defaults.NumLabels };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a non-empty --output folder." };
        var command = new Command("train", "Train a process reward model: a Linear(hidden, num_labels) head at each step's separator, all steps of a trajectory in one forward pass.")
        {
            data, model, output, lr, epochs, batch, heldOut, seed, maxLength, numLabels, outcome, overwrite,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var settings = defaults with
            {
                LearningRate = parse.GetValue(lr),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                HeldOut = parse.GetValue(heldOut),
                Seed = parse.GetValue(seed),
                MaxLength = parse.GetValue(maxLength),
                NumLabels = parse.GetValue(numLabels),
            };
            var summary = PrmTraining.Run(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output)!, settings, parse.GetValue(overwrite), console.Error.WriteLine,
                parse.GetValue(outcome));
            console.Out.WriteLine(summary.HeldOutAfter is { } after ? "held out: " + after.Describe() : "held out: none (--held-out 0)");
            return 0;
        });
        return command;
    }
}
