using System.CommandLine;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core.Json;
using HierReason.Reasoning.Strategies;
using HierReason.Training.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason perf grad-noise</c>: how much of a GRPO step's gradient is signal, at the experiment's starting weights.</summary>
public static class PerfGradNoiseCommand
{
    public static Command Build(IServiceProvider services)
    {
        var defaults = new GradientNoiseSettings();
        var experiment = new Option<string>("--experiment") { Description = "The GRPO experiment (its model.from must exist, or pass --model).", DefaultValueFactory = _ => defaults.Experiment };
        var model = new Option<string?>("--model") { Description = "The weights to measure at (default: the experiment's model.from)." };
        var batches = new Option<int>("--batches") { Description = "Independent rollout batches (K ≥ 2; more gives a tighter estimate).", DefaultValueFactory = _ => defaults.Batches };
        var prompts = new Option<int?>("--prompts-per-step") { Description = "Prompts per batch (default: the experiment's grpo.prompts_per_step)." };
        var threads = PerfCommands.ThreadsOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of Markdown." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/grad_noise.json" }.WithOldSpellings("--out");
        var command = new Command("grad-noise",
            "Policy gradients of K independent GRPO rollout batches at the same weights, nothing updated: the signal share of one step, " +
            "per-weight sign agreement (what a sign-like AdamW step follows), the noise scale B_noise (the batch where signal = noise) and its cost here.")
        {
            experiment, model, batches, prompts, threads, json, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            TorchSharp.torch.set_num_threads(PerfCommands.Threads(parse, threads));
            var settings = new GradientNoiseSettings
            {
                Experiment = parse.GetValue(experiment)!,
                Model = parse.GetValue(model),
                Batches = parse.GetValue(batches),
                PromptsPerStep = parse.GetValue(prompts),
            };
            var report = GradientNoiseRun.Measure(settings, (name, options) => StrategyRegistry.Default.Create(name, StrategyContext.Of(options)),
                step => console.Error.WriteLine("perf grad-noise: " + step));
            PerfCommands.WriteReport(console, JsonSerializer.SerializeToNode(report, HierJson.Indented)!.AsObject(), report.ToMarkdown(), parse.GetValue(output)!, parse.GetValue(json));
            return 0;
        });
        return command;
    }
}
