using System.CommandLine;
using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Training.Evaluation;
using HierReason.Training.Experiments;
using HierReason.Training.Sft;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason train</c>: runs an experiment file's SFT stage, with a progress bar on a terminal and plain lines otherwise.</summary>
public static class TrainCommands
{
    /// <summary>Steps between plain progress lines when stdout is not a terminal.</summary>
    private const int PlainEvery = 10;

    public static Command Build(IServiceProvider services)
    {
        var experiment = new Argument<string>("experiment") { Description = "The experiment file (e.g. tasks/experiments/tiny-sft.json)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest complete checkpoint in the output folder." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this step (the lr schedule still spans sft.steps)." };
        var options = new ModelOptions();
        var command = new Command("train", "Train a model as an experiment file describes (SFT on gold traces; checkpoints, metrics.jsonl, eval.jsonl in the output folder).")
        {
            experiment, resume, maxSteps,
        };
        command.Options.Add(options.Device);
        command.Options.Add(options.Threads);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            // The experiment is validated before libtorch is touched: a config error exits 2 at once.
            var config = ExperimentConfig.Load(parse.GetValue(experiment)!);
            if (parse.GetValue(maxSteps) is < 1) throw new HierReasonException("--max-steps: expected a positive integer");
            var threads = parse.GetValue(options.Threads);
            if (threads is < 1 or > ModelOptions.MaxThreads) throw new HierReasonException($"--threads: expected an integer in [1, {ModelOptions.MaxThreads}]; found {threads}");
            TorchSharp.torch.set_num_threads(threads);
            var device = parse.GetResult(options.Device) is null ? null : parse.GetValue(options.Device);
            using var run = SftRun.Create(config, parse.GetValue(resume), device);
            var until = Math.Min(config.Sft.Steps, parse.GetValue(maxSteps) ?? int.MaxValue);
            console.Out.WriteLine(run.ResumedFrom is { } from
                ? $"{config.Name}: resuming from {from} (step {run.Trainer.Step}) to step {until}"
                : $"{config.Name}: training to step {until} into {config.Output}");
            if (console.Ansi.Profile.Capabilities.Interactive) WithProgressBar(console, run, until);
            else run.Run(until, m => { if (m.Step % PlainEvery == 0 || m.Step == until) console.Out.WriteLine(Line(m)); }, (s, r) => PrintEval(console, s, r));
            console.Out.WriteLine($"{config.Name}: done at step {run.Trainer.Step}; model in {config.Output}");
            return 0;
        });
        return command;
    }

    private static void WithProgressBar(CliConsole console, SftRun run, int until) =>
        console.Ansi.Progress().Start(ctx =>
        {
            var bar = ctx.AddTask("sft", maxValue: until);
            bar.Value = run.Trainer.Step;
            run.Run(until,
                m =>
                {
                    bar.Value = m.Step;
                    bar.Description = FormattableString.Invariant($"sft loss {m.Loss:F3} lr {m.LearningRate:E1} {m.TokensPerSecond:F0} tok/s");
                },
                (s, r) => PrintEval(console, s, r));
        });

    private static string Line(SftStepMetrics m) => FormattableString.Invariant(
        $"step {m.Step}: loss {m.Loss:F4}, lr {m.LearningRate:E2}, grad norm {m.GradNorm:F3}, {m.TokensPerSecond:F0} tokens/s, {m.StepSeconds:F2} s/step");

    private static void PrintEval(CliConsole console, int step, IReadOnlyDictionary<string, EvaluationResult> results)
    {
        foreach (var (task, result) in results)
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval step {step}: {task}: {result}"));
    }
}
