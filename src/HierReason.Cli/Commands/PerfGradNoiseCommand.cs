using System.CommandLine;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Perf;
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
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch intra-op threads (default: 1 on machines with 2 cores or fewer, else the number of processors).",
            DefaultValueFactory = _ => PerfCommands.DefaultGenerateThreads,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of Markdown." };
        var output = new Option<string>("--out") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/grad_noise.json" };
        var command = new Command("grad-noise",
            "Policy gradients of K independent GRPO rollout batches at the same weights, nothing updated: the signal share of one step, " +
            "per-weight sign agreement (what a sign-like AdamW step follows), the noise scale B_noise (the batch where signal = noise) and its cost here.")
        {
            experiment, model, batches, prompts, threads, json, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var count = parse.GetValue(threads);
            if (count is < 1 or > ModelOptions.MaxThreads)
                throw new HierReasonException($"--threads: expected an integer in [1, {ModelOptions.MaxThreads}]; found {count}");
            TorchSharp.torch.set_num_threads(count);
            var settings = new GradientNoiseSettings
            {
                Experiment = parse.GetValue(experiment)!,
                Model = parse.GetValue(model),
                Batches = parse.GetValue(batches),
                PromptsPerStep = parse.GetValue(prompts),
            };
            var report = GradientNoiseRun.Measure(settings, (name, options) => StrategyRegistry.Default.Create(name, StrategyContext.Of(options)),
                step => console.Error.WriteLine("perf grad-noise: " + step));
            var node = JsonSerializer.SerializeToNode(report, HierJson.Indented)!.AsObject();
            node["machine"] = JsonSerializer.SerializeToNode(MachineInfo.Current(), HierJson.Indented);
            node["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            var text = node.ToJsonString(HierJson.Indented);
            var path = parse.GetValue(output)!;
            AtomicFile.WriteAllText(path, text + Environment.NewLine);
            if (parse.GetValue(json)) console.Out.WriteLine(text);
            else
            {
                console.Out.Write(report.ToMarkdown());
                console.Out.WriteLine($"written to {path}");
            }
            return 0;
        });
        return command;
    }
}
