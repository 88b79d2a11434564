using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Training.Preference;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason dpo train</c>: DPO (or step-DPO) on a pairs file; the edge parses the flags and calls <see cref="DpoRun"/>.</summary>
public static class DpoCommands
{
    /// <summary>Steps between plain progress lines.</summary>
    private const int PrintEvery = 10;

    public static Command Build(IServiceProvider services)
    {
        var defaults = new DpoSettings();
        var data = new Option<string[]>("--data")
        {
            Description = "Pairs as JSON lines {\"prompt\", \"chosen\", \"rejected\"} (TRL's DPO format; Step-DPO's initial_reason_steps is read as a masked prefix of both responses); repeat for several files (empty ones add nothing).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var model = new Option<string>("--model") { Description = "The starting (SFT) model folder; also the reference.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output folder: metrics.jsonl, checkpoint-<step>/, the final model, training_summary.json.", Required = true }.WithOldSpellings("--out");
        var beta = new Option<double>("--beta") { Description = "DPO β (TRL's default 0.1).", DefaultValueFactory = _ => defaults.Beta };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing ε in [0, 0.5] (cDPO); 0 = plain sigmoid DPO.", DefaultValueFactory = _ => defaults.LabelSmoothing };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (seed 001: 2e-6 for a full fine-tune; an adapter wants ~1e-4).", DefaultValueFactory = _ => defaults.LearningRate };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the pairs.", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Pairs per optimiser step.", DefaultValueFactory = _ => defaults.BatchSize };
        var loraRank = new Option<int>("--lora-rank") { Description = "Train a LoRA adapter of this rank (α = 2r; the reference is the adapter switched off); 0 = every weight, against a frozen copy.", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "Shuffling, LoRA initialisation and dropout seed.", DefaultValueFactory = _ => defaults.Seed };
        var maxSeqLen = new Option<int>("--max-length") { Description = "Tokens per row (prompt + response); longer responses are cut.", DefaultValueFactory = _ => defaults.MaxSeqLen }.WithOldSpellings("--max-seq-len");
        var every = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints (0: only at the end).", DefaultValueFactory = _ => defaults.CheckpointEvery };
        var options = new ModelOptions();
        var train = new Command("train", "Train a model with DPO's sigmoid loss on preference pairs against the starting model.")
        {
            data, model, output, beta, smoothing, lr, epochs, batch, loraRank, seed, maxSeqLen, every,
        };
        options.AddTo(train);
        train.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var settings = new DpoSettings
            {
                Beta = parse.GetValue(beta),
                LabelSmoothing = parse.GetValue(smoothing),
                LearningRate = parse.GetValue(lr),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                MaxSeqLen = parse.GetValue(maxSeqLen),
                CheckpointEvery = parse.GetValue(every),
            };
            settings.Validate();
            var device = options.Apply(parse);
            using var run = DpoRun.Create(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output)!, settings, parse.GetValue(loraRank), device);
            console.Out.WriteLine($"dpo: {run.Trainer.TotalSteps} steps, reference {run.ReferenceKind}, into {parse.GetValue(output)}");
            var summary = run.Run(m =>
            {
                if (m.Step % PrintEvery == 0 || m.Step == run.Trainer.TotalSteps) console.Out.WriteLine(FormattableString.Invariant(
                    $"step {m.Step} epoch {m.Epoch} loss {m.Loss:F4} acc {m.Metrics.RewardAccuracy:P0} margin {m.Metrics.RewardMargin:F4} logp chosen {m.Metrics.LogProbChosen:F2} rejected {m.Metrics.LogProbRejected:F2}"));
            });
            console.Out.WriteLine(FormattableString.Invariant(
                $"dpo: done; loss {summary.Before.Loss:F4} -> {summary.After.Loss:F4}, margin {summary.Before.Metrics.RewardMargin:F4} -> {summary.After.Metrics.RewardMargin:F4}, accuracy {summary.Before.Metrics.RewardAccuracy:P0} -> {summary.After.Metrics.RewardAccuracy:P0}, {summary.StepsPerSecond:F2} steps/s"));
            if (summary.BothLogProbsFell)
                console.Out.WriteLine(FormattableString.Invariant(
                    $"dpo: warning: both log-probs fell (chosen {summary.Before.Metrics.LogProbChosen:F2} -> {summary.After.Metrics.LogProbChosen:F2}, rejected {summary.Before.Metrics.LogProbRejected:F2} -> {summary.After.Metrics.LogProbRejected:F2}): DPO's known collapse"));
            return 0;
        });
        return new Command("dpo", "Preference training: pairs from a policy's samples (DPO, pDPO, Step-DPO) and the DPO trainer.") { DpoPairsCommand.Build(services), train };
    }
}
