using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Backends.Serving;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Perf;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason perf serve</c>: requests/s, tokens/s and latency of the OpenAI-compatible server with 1 and with 32 clients.</summary>
public static class ServePerf
{
    public static Command Build(IServiceProvider services)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table." };
        var clients = new Option<string>("--clients") { Description = "Comma-separated concurrent client counts; the ratio is last ÷ first.", DefaultValueFactory = _ => "1,32" };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per client count (after a 2 s warm-up).", DefaultValueFactory = _ => 10 };
        var maxTokens = new Option<int>("--max-new-tokens") { Description = "Completion budget per request.", DefaultValueFactory = _ => 16 }.WithOldSpellings("--max-tokens");
        var maxBatch = new Option<int>("--max-batch") { Description = "The server's engine batch limit.", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch intra-op threads (default: 1 on machines with 2 cores or fewer, else the number of processors).",
            DefaultValueFactory = _ => PerfCommands.DefaultGenerateThreads,
        };
        var longTokens = new Option<int>("--long-max-new-tokens")
        {
            Description = "A mixed workload: every other request of each client asks for this many tokens, and the short requests' p50/p99 are reported apart (0: every request uses --max-new-tokens).",
            DefaultValueFactory = _ => 0,
        };
        var batching = new Option<string>("--batching") { Description = "The server's batching: continuous or static (see `serve --batching`).", DefaultValueFactory = _ => "continuous" };
        batching.AcceptOnlyFromAmong("continuous", "static");
        var output = new Option<string>("--output", "-o") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/serve.json" }.WithOldSpellings("--out");
        var command = new Command("serve", "Throughput and latency of `hierreason serve` (tiny model, loopback, real OpenAI client): 1 client against many, batching's gain.")
        {
            json, clients, seconds, maxTokens, longTokens, maxBatch, threads, batching, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var counts = (parse.GetValue(clients) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024 ? n
                    : throw new HierReasonException($"--clients: expected comma-separated integers in [1, 1024]; found '{c}'"))
                .ToArray();
            if (counts.Length == 0) throw new HierReasonException("--clients: expected at least one client count");
            var secs = parse.GetValue(seconds);
            if (!(secs is > 0 and <= 600)) throw new HierReasonException($"--seconds: expected a number in (0, 600]; found {secs}");
            var budget = parse.GetValue(maxTokens);
            if (budget is < 1 or > 512) throw new HierReasonException($"--max-new-tokens: expected an integer in [1, 512]; found {budget}");
            var longBudget = parse.GetValue(longTokens);
            if (longBudget is < 0 or > 512) throw new HierReasonException($"--long-max-new-tokens: expected an integer in [0, 512]; found {longBudget}");
            var batch = parse.GetValue(maxBatch);
            if (batch < 1) throw new HierReasonException($"--max-batch: expected a positive integer; found {batch}");
            var t = parse.GetValue(threads);
            if (t is < 1 or > ModelOptions.MaxThreads) throw new HierReasonException($"--threads: expected an integer in [1, {ModelOptions.MaxThreads}]; found {t}");
            TorchSharp.torch.set_num_threads(t);

            var settings = new ServeBenchmarkSettings(counts, secs, budget, batch, Threads: t,
                Batching: parse.GetValue(batching) == "static" ? ServeBatching.Static : ServeBatching.Continuous,
                LongMaxTokens: longBudget == 0 ? null : longBudget);
            var result = await ServeBenchmark.RunAsync(settings, step => console.Error.WriteLine("perf serve: " + step), cancellationToken);
            var report = JsonSerializer.SerializeToNode(result, HierJson.Indented)!.AsObject();
            report["threads"] = t;
            report["batching"] = settings.Batching.ToString().ToLowerInvariant();
            report["machine"] = JsonSerializer.SerializeToNode(MachineInfo.Current(), HierJson.Indented);
            var text = report.ToJsonString(HierJson.Indented);
            var path = parse.GetValue(output)!;
            AtomicFile.WriteAllText(path, text + Environment.NewLine);

            if (parse.GetValue(json)) await console.Out.WriteLineAsync(text);
            else
            {
                static string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
                await console.Out.WriteLineAsync("| clients | requests/s | tokens/s | p50 ms | p90 ms | p99 ms | mean batch rows | engine busy | of which joiners' prefill |");
                await console.Out.WriteLineAsync("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var p in result.Phases)
                    await console.Out.WriteLineAsync($"| {p.Clients} | {F(p.RequestsPerSecond, "0.00")} | {F(p.TokensPerSecond, "0.0")} | {F(p.LatencyP50Ms, "0.0")} | {F(p.LatencyP90Ms, "0.0")} | {F(p.LatencyP99Ms, "0.0")} | {F(p.MeanBatchRows, "0.0")} | {F(p.EngineBusyFraction * 100, "0")}% | {F(p.JoinPrefillFraction * 100, "0")}% |");
                if (settings.LongMaxTokens is { } longMax)
                    foreach (var p in result.Phases)
                        await console.Out.WriteLineAsync($"{p.Clients} client(s), mixed {budget} / {longMax} tokens: short requests p50 {F(p.ShortLatencyP50Ms ?? 0, "0.0")} ms, p99 {F(p.ShortLatencyP99Ms ?? 0, "0.0")} ms; long requests p50 {F(p.LongLatencyP50Ms ?? 0, "0.0")} ms");
                await console.Out.WriteLineAsync($"throughput {counts[^1]} ÷ {counts[0]} clients: {F(result.TokensRatio, "0.0")}× tokens/s, {F(result.RequestsRatio, "0.0")}× requests/s (target ≥ {F(result.TargetRatio, "0")}×: {(result.MeetsTarget ? "met" : "NOT met")}); written to {path}");
            }
            return 0;
        });
        return command;
    }
}
