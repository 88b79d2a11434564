using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Engine.Chat;
using HierReason.Engine.Inference;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason generate</c>: sample completions of one prompt from a local model folder.</summary>
public static class GenerateCommands
{
    public static Command Build(IServiceProvider services)
    {
        var model = new Option<string>("--model") { Description = "The model folder (HF layout: config.json, weights, tokenizer files).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The prompt text (raw, or the user message with --chat).", Required = true };
        var n = new Option<int>("--n") { Description = "Completions to sample.", DefaultValueFactory = _ => 4 };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature; 0 = greedy.", DefaultValueFactory = _ => 0.7 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus mass in (0, 1]; 1 = no limit.", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens; 0 = no limit.", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens per completion.", DefaultValueFactory = _ => 128 };
        var stop = new Option<string[]>("--stop")
        {
            Description = "Text that ends a completion (cut before it); repeatable.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        var chat = new Option<bool>("--chat") { Description = "Render the prompt as a user message with the model's chat template." };
        var seed = new Option<long>("--seed") { Description = "Sampling seed (the same seed reproduces on CPU).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the completions with token ids, log-probabilities and finish reasons." };
        var options = new ModelOptions();
        var command = new Command("generate", "Sample completions of a prompt from a local model.")
        {
            model, prompt, n, temperature, topP, topK, maxNew, stop, chat, seed, json,
        };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var settings = new TextGenerationSettings
            {
                N = parse.GetValue(n),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                MaxNewTokens = parse.GetValue(maxNew),
                Stop = parse.GetValue(stop) ?? [],
                Seed = parse.GetValue(seed),
            };
            // Checked before the model loads, so a typo costs nothing.
            Check(settings);
            var device = options.Apply(parse);
            using var local = LocalModel.Load(parse.GetValue(model)!, device);
            var text = parse.GetValue(prompt)!;
            var completions = parse.GetValue(chat)
                ? local.GenerateChat([[ChatMessage.User(text)]], settings)[0]
                : local.Generate([text], settings)[0];
            if (parse.GetValue(json)) console.Out.WriteLine(ToJson(completions).ToJsonString(HierJson.Indented));
            else Write(console.Out, completions);
            return 0;
        });
        return command;
    }

    private static void Check(TextGenerationSettings s)
    {
        if (s.N < 1) throw new HierReasonException($"--n: expected a positive integer; found {s.N}");
        if (!(s.Temperature >= 0) || double.IsInfinity(s.Temperature)) throw new HierReasonException($"--temperature: expected a number ≥ 0; found {s.Temperature}");
        if (!(s.TopP is > 0 and <= 1)) throw new HierReasonException($"--top-p: expected a number in (0, 1]; found {s.TopP}");
        if (s.TopK < 0) throw new HierReasonException($"--top-k: expected an integer ≥ 0; found {s.TopK}");
        if (s.MaxNewTokens < 1) throw new HierReasonException($"--max-new-tokens: expected a positive integer; found {s.MaxNewTokens}");
    }

    /// <summary>{"prompt_tokens": P, "completions": [{text, token_ids, logprobs, finish_reason, prompt_tokens}, …]}.</summary>
    public static JsonObject ToJson(IReadOnlyList<TextCompletion> completions)
    {
        var array = new JsonArray();
        foreach (var c in completions)
            array.Add(new JsonObject
            {
                ["text"] = c.Text,
                ["token_ids"] = new JsonArray(c.TokenIds.Select(id => (JsonNode?)id).ToArray()),
                ["logprobs"] = new JsonArray(c.LogProbs.Select(lp => (JsonNode?)lp).ToArray()),
                ["finish_reason"] = c.FinishReason,
                ["prompt_tokens"] = c.PromptTokens,
            });
        return new JsonObject
        {
            ["prompt_tokens"] = completions.Count > 0 ? completions[0].PromptTokens : 0,
            ["completions"] = array,
        };
    }

    private static void Write(TextWriter output, IReadOnlyList<TextCompletion> completions)
    {
        for (var i = 0; i < completions.Count; i++)
        {
            var c = completions[i];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"--- completion {i + 1} of {completions.Count}: finish {c.FinishReason}, {c.TokenIds.Length} tokens (prompt {c.PromptTokens}) ---"));
            output.WriteLine(c.Text);
        }
    }
}
