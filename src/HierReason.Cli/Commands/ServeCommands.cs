using System.CommandLine;
using HierReason.Backends.Serving;
using HierReason.Cli.Hosting;
using HierReason.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason serve</c>: an OpenAI-compatible server over a local model folder, with LoRA modules.</summary>
public static class ServeCommands
{
    public static Command Build(IServiceProvider services)
    {
        var model = new Option<string>("--model") { Description = "The model folder (HF layout: config.json, weights, tokenizer files).", Required = true };
        var name = new Option<string?>("--served-model-name") { Description = "The base model's id in requests (default: the folder's name)." };
        var lora = new Option<string[]>("--lora")
        {
            Description = "A LoRA module as name=<adapter-dir> (PEFT layout); requests select it with \"model\": \"name\". Repeatable.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        var host = new Option<string>("--host") { Description = "Address to bind (0.0.0.0 exposes the server to the network).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8000 };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the bearer token every /v1 and tokenizer request must send (/health never needs it)." };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most sequences (prompts × n) decoded together in one engine batch.", DefaultValueFactory = _ => 64 };
        var batching = new Option<string>("--batching")
        {
            Description = "continuous: requests join the running batch at the next token and leave it when they end (seeded, choice, scoring and non-streamed logprobs requests run as one-shot batches); static: each batch decodes to its longest request's end.",
            DefaultValueFactory = _ => "continuous",
        };
        batching.AcceptOnlyFromAmong("continuous", "static");
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body accepted (larger: 413).", DefaultValueFactory = _ => 1 << 20 };
        var options = new ModelOptions();
        var command = new Command("serve", "Serve a local model (and LoRA adapters) over an OpenAI-compatible HTTP API: /v1/models, /v1/completions, /v1/chat/completions, /health, and vLLM's /tokenize, /detokenize, /tokenizer_info (lm-evaluation-harness's remote tokenizer).")
        {
            model, name, lora, host, port, apiKeyEnv, maxBatch, batching, maxBody,
        };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535) throw new HierReasonException($"--port: expected 0-65535; found {portValue}");
            options.Apply(parse);
            var serve = new ServeOptions
            {
                ModelDir = parse.GetValue(model)!,
                ServedModelName = parse.GetValue(name),
                Loras = ParseLoras(parse.GetValue(lora) ?? []),
                Host = parse.GetValue(host)!,
                Port = portValue,
                ApiKeyEnv = parse.GetValue(apiKeyEnv),
                Device = parse.GetValue(options.Device)!,
                DType = parse.GetValue(options.DType),
                MaxBatch = parse.GetValue(maxBatch),
                Batching = parse.GetValue(batching) == "static" ? ServeBatching.Static : ServeBatching.Continuous,
                Threads = parse.GetValue(options.Threads),
                MaxBodyBytes = parse.GetValue(maxBody),
                LoggerFactory = services.GetRequiredService<ILoggerFactory>(),
            };
            await using var server = await OpenAiServer.StartAsync(serve, cancellationToken);
            await console.Out.WriteLineAsync($"serving {string.Join(", ", server.ModelNames)} at {server.BaseUrl}/v1 (Ctrl+C stops)");
            await console.Out.FlushAsync(cancellationToken);
            await server.WaitAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>name=dir pairs; a malformed one is a user error naming it.</summary>
    public static IReadOnlyDictionary<string, string> ParseLoras(IEnumerable<string> values)
    {
        var loras = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == value.Length - 1) throw new HierReasonException($"--lora '{value}': expected name=<adapter-dir>");
            var key = value[..eq];
            if (!loras.TryAdd(key, value[(eq + 1)..])) throw new HierReasonException($"--lora '{value}': the name '{key}' is given twice");
        }
        return loras;
    }
}
