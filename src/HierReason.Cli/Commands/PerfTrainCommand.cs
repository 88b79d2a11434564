using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Perf;
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
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch intra-op threads (default: 1 on machines with 2 cores or fewer, else the number of processors).",
            DefaultValueFactory = _ => PerfCommands.DefaultGenerateThreads,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of Markdown." };
        var output = new Option<string>("--out") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/train.json" };
        var command = new Command("train", "SFT and GRPO steps of the committed experiments with the efficiency switches off and on: useful-work fractions, speed-ups, FLOP ratios.")
        {
            sftExperiment, grpoExperiment, model, sftSteps, grpoSteps, repeats, threads, json, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var count = parse.GetValue(threads);
            if (count is < 1 or > ModelOptions.MaxThreads)
                throw new HierReasonException($"--threads: expected an integer in [1, {ModelOptions.MaxThreads}]; found {count}");
            TorchSharp.torch.set_num_threads(count);
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
            var report = JsonSerializer.SerializeToNode(result, HierJson.Indented)!.AsObject();
            report["machine"] = JsonSerializer.SerializeToNode(MachineInfo.Current(), HierJson.Indented);
            var text = report.ToJsonString(HierJson.Indented);
            var path = parse.GetValue(output)!;
            AtomicFile.WriteAllText(path, text + Environment.NewLine);
            if (parse.GetValue(json)) console.Out.WriteLine(text);
            else
            {
                console.Out.Write(result.ToMarkdown());
                console.Out.WriteLine($"written to {path}");
            }
            return 0;
        });
        return command;
    }
}
