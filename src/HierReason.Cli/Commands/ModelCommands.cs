using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Json;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason model</c>: create an embedded model folder, describe a model folder, print a checkpoint's logits.</summary>
public static class ModelCommands
{
    public static Command Build(IServiceProvider services)
    {
        var model = new Command("model", "Create, inspect and run model folders (HF layout: config.json, model.safetensors, tokenizer files).");
        model.Subcommands.Add(Init(services));
        model.Subcommands.Add(Info(services));
        model.Subcommands.Add(Logits(services));
        return model;
    }

    private static Command Init(IServiceProvider services)
    {
        var config = new Option<string>("--config") { Description = $"Which embedded model: {string.Join(", ", ModelInit.ConfigNames)}.", DefaultValueFactory = _ => "tiny" };
        var output = new Option<string>("--output", "-o") { Description = "The model folder to create.", Required = true }.WithOldSpellings("--out");
        var seed = new Option<long>("--seed") { Description = "Initialisation seed (the same seed gives the same weights on every device).", DefaultValueFactory = _ => 0 };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --output folder." };
        var options = new ModelOptions("Type of the stored weights: float32, bfloat16 or float16.");
        var command = new Command("init", "Write a freshly initialised embedded model with the byte tokenizer.") { config, output, seed, force };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var name = parse.GetValue(config)!;
            // Check the name before libtorch is touched, so a typo fails at once.
            ModelInit.CheckConfigName(name);
            var device = options.Apply(parse);
            var directory = parse.GetValue(output)!;
            var parameters = ModelInit.Write(name, directory, parse.GetValue(seed), device, parse.GetValue(force));
            console.Out.WriteLine($"{name} model ({parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters, seed {parse.GetValue(seed)}) written to {directory}");
            return 0;
        });
        return command;
    }

    private static Command Info(IServiceProvider services)
    {
        var directory = new Argument<string>("dir") { Description = "The model folder." };
        var json = new Option<bool>("--json") { Description = "Print a JSON object instead of lines." };
        var command = new Command("info", "Architecture, parameter count, sizes, stored dtype, tokenizer and chat template of a model folder; exits 2 naming every tensor that does not match config.json.") { directory, json };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var summary = ModelSummary.Read(parse.GetValue(directory)!);
            if (parse.GetValue(json)) console.Out.WriteLine(JsonSerializer.Serialize(summary, HierJson.Indented));
            else foreach (var line in summary.Lines()) console.Out.WriteLine(line);
            // A checkpoint that does not fit its config.json cannot be loaded: say which tensors, and fail like any user error.
            foreach (var mismatch in summary.Mismatches) console.Error.WriteLine("error: " + mismatch);
            return summary.Mismatches.Count == 0 ? 0 : 2;
        });
        return command;
    }

    private static Command Logits(IServiceProvider services)
    {
        var model = new Option<string>("--model") { Description = "The model folder (config.json and weights; no tokenizer needed).", Required = true };
        var ids = new Option<string>("--ids") { Description = "Comma-separated token ids, e.g. 1,5,9.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print {\"logits\": [[…], …]}: one row of vocabulary logits per id." };
        var options = new ModelOptions("Only float32: logits are computed and printed in float32 so they are comparable across runs.");
        var command = new Command("logits", "Next-token logits at every position of a sequence of token ids.") { model, ids, json };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var tokens = ModelLogits.ParseIds(parse.GetValue(ids)!);
            var device = options.Apply(parse);
            if (device.DType != ScalarType.Float32)
                throw new HierReasonException($"--dtype: model logits computes in float32 only; found '{parse.GetValue(options.DType)}'");
            var rows = ModelLogits.Compute(parse.GetValue(model)!, tokens, device);
            if (parse.GetValue(json)) console.Out.WriteLine(ModelLogits.ToJson(rows));
            else foreach (var line in ModelLogits.Lines(tokens, rows)) console.Out.WriteLine(line);
            return 0;
        });
        return command;
    }
}
