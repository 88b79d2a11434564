using System.CommandLine;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core.Json;
using HierReason.Reasoning.Strategies;
using HierReason.Training.Perf;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason perf train</c>: a short SFT and GRPO workload with every efficiency switch off and on, against the same run's matmul rate.</summary>
public static class PerfTrainCommand
{
    public static Command Build(IServiceProvider services)
    {
        var defaults = new TrainBenchmarkSettings();
        var sftExperiment = new Option<string>("--sft-experiment") { Description = "The SFT experiment (trained from its start for --sft-steps).", DefaultValueFactory = _ => defaults.SftExperiment };
        var grpoExperiment = new Option<string>("--grpo-experiment") { Description = "The GRPO experiment (its model.from must exist, or pass --model).", DefaultValueFactory = _ => defaults.GrpoExperiment };
        var model = new Option<string?>("--model") { Description = "The model GRPO starts from (default: the experiment's model.from, artifacts/models/tiny-sft)." };
        var sftSteps = new Option<int>("--sft-steps") { Description = "SFT steps per measurement (0 skips SFT).", DefaultValueFactory = _ => defaults.SftSteps };
        var grpoSteps = new Option<int>("--grpo-steps") { Description = "GRPO steps per measurement (0 skips GRPO).", DefaultValueFactory = _ => defaults.GrpoSteps };
        var repeats = new Option<int>("--repeats") { Description = "Baseline/efficient pairs, alternating.", DefaultValueFactory = _ => defaults.Repeats };
        var threads = PerfCommands.ThreadsOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of Markdown." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/train.json" }.WithOldSpellings("--out");
        var command = new Command("train", "SFT and GRPO steps of the committed experiments with the efficiency switches off and on: useful-work fractions, speed-ups, FLOP ratios.")
        {
            sftExperiment, grpoExperiment, model, sftSteps, grpoSteps, repeats, threads, json, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            TorchSharp.torch.set_num_threads(PerfCommands.Threads(parse, threads));
            var settings = new TrainBenchmarkSettings
            {
                SftExperiment = parse.GetValue(sftExperiment)!,
                GrpoExperiment = parse.GetValue(grpoExperiment)!,
                Model = parse.GetValue(model),
                SftSteps = parse.GetValue(sftSteps),
                GrpoSteps = parse.GetValue(grpoSteps),
                Repeats = parse.GetValue(repeats),
            };
            var result = TrainBenchmark.Run(settings, (name, options) => StrategyRegistry.Default.Create(name, StrategyContext.Of(options)),
                step => console.Error.WriteLine("perf train: " + step));
            PerfCommands.WriteReport(console, JsonSerializer.SerializeToNode(result, HierJson.Indented)!.AsObject(), result.ToMarkdown(), parse.GetValue(output)!, parse.GetValue(json));
            return 0;
        });
        return command;
    }
}
