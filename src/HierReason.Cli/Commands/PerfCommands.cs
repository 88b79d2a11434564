using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Perf;
using HierReason.Core.Tasks;
using HierReason.Engine.Perf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason perf</c>: throughput measurements of task generation + scoring, model generation, training, scheduling and serving.</summary>
public static class PerfCommands
{
    public static Command Build(IServiceProvider services)
    {
        var perf = new Command("perf", "Measure throughput.");
        perf.Subcommands.Add(Tasks(services));
        perf.Subcommands.Add(Generate(services));
        perf.Subcommands.Add(PerfTrainCommand.Build(services));
        perf.Subcommands.Add(PerfGradNoiseCommand.Build(services));
        perf.Subcommands.Add(PerfScheduleCommand.Build(services));
        perf.Subcommands.Add(ServePerf.Build(services));
        perf.Subcommands.Add(PerfSearchContextCommand.Build(services));
        return perf;
    }

    private static Command Tasks(IServiceProvider services)
    {
        var items = new Option<int>("--items") { Description = "Items per task (generate + score gold, train split).", DefaultValueFactory = _ => 20_000 };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated task names (default: all registered)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table." };
        var warmUp = new Option<double>("--warmup") { Description = "Seconds each task runs before it is measured (tiered JIT needs a while to settle).", DefaultValueFactory = _ => 2.0 };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/tasks.json" }.WithOldSpellings("--out");
        var anchor = new Option<string?>("--anchor")
        {
            Description = "reasoning-gym's items per CPU-second measured in this run on this machine (the JSON build/perf/reasoning_gym_anchor.py writes); without it no ratio to reasoning-gym is printed.",
        };
        var anchorAge = new Option<double>("--anchor-max-age")
        {
            Description = "Minutes the anchor may be old; an older one, or one from another host, is refused (exit 2).", DefaultValueFactory = _ => 60.0,
        };
        var command = new Command("tasks", "Single-thread items per CPU-second of every task against a same-run baseline, and against reasoning-gym measured in the same run (--anchor).")
        {
            items, tasks, warmUp, json, output, anchor, anchorAge,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var registry = services.GetRequiredService<TaskRegistry>();
            var log = services.GetRequiredService<ILogger<TaskThroughput>>();
            var count = parse.GetValue(items);
            if (count < 1) throw new HierReasonException($"--items: expected a positive integer; found {count}");
            var warm = parse.GetValue(warmUp);
            if (!(warm is >= 0 and <= 600)) throw new HierReasonException($"--warmup: expected seconds in [0, 600]; found {warm}");
            var selected = Select(registry, parse.GetValue(tasks));
            var maxAge = parse.GetValue(anchorAge);
            if (!(maxAge is > 0 and <= 7 * 24 * 60)) throw new HierReasonException($"--anchor-max-age: expected minutes in (0, 10080]; found {maxAge}");
            ReasoningGymAnchor? reference = null;
            if (parse.GetValue(anchor) is { } anchorPath)
            {
                reference = ReasoningGymAnchor.Load(anchorPath);
                reference.EnsureSameRun(HostIdentity.Current(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(maxAge));
            }

            var report = new TaskThroughput(count, TimeSpan.FromSeconds(warm)).Run(selected, reference, name => log.LogInformation("measuring {Task}", name));
            var text = JsonSerializer.Serialize(report, HierJson.Indented);
            var path = parse.GetValue(output)!;
            AtomicFile.WriteAllText(path, text + Environment.NewLine);

            if (parse.GetValue(json)) console.Out.WriteLine(text);
            else Render(console, report, path);
            return 0;
        });
        return command;
    }

    /// <summary>1 on machines of two cores or fewer (shared small machines are erratic with 2), else every core.</summary>
    public static int DefaultGenerateThreads => Environment.ProcessorCount <= 2 ? 1 : Environment.ProcessorCount;

    /// <summary>The <c>--threads</c> option of the perf commands that run libtorch.</summary>
    internal static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "libtorch intra-op threads (default: 1 on machines with 2 cores or fewer, where a shared machine makes 2 threads erratic; else the number of processors).",
        DefaultValueFactory = _ => DefaultGenerateThreads,
    };

    /// <summary>The checked <c>--threads</c> value.</summary>
    internal static int Threads(ParseResult parse, Option<int> threads)
    {
        var count = parse.GetValue(threads);
        if (count is < 1 or > ModelOptions.MaxThreads)
            throw new HierReasonException($"--threads: expected an integer in [1, {ModelOptions.MaxThreads}]; found {count}");
        return count;
    }

    /// <summary>
    /// Adds the machine to <paramref name="report"/>, writes it to <paramref name="path"/> (atomically) and prints it as JSON
    /// or as <paramref name="markdown"/> with where it was written.
    /// </summary>
    internal static void WriteReport(CliConsole console, JsonObject report, string markdown, string path, bool json)
    {
        report["machine"] = JsonSerializer.SerializeToNode(MachineInfo.Current(), HierJson.Indented);
        var text = report.ToJsonString(HierJson.Indented);
        AtomicFile.WriteAllText(path, text + Environment.NewLine);
        if (json) console.Out.WriteLine(text);
        else
        {
            console.Out.Write(markdown);
            console.Out.WriteLine($"written to {path}");
        }
    }

    private static Command Generate(IServiceProvider services)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of Markdown." };
        var quick = new Option<bool>("--quick") { Description = "A seconds-long run: small sizes, tiny model only." };
        var threads = ThreadsOption();
        var noQwen = new Option<bool>("--no-qwen") { Description = "Skip the Qwen2.5-0.5B-shaped model (about 2 GB of float32 weights)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/generate.json" }.WithOldSpellings("--out");
        var command = new Command("generate", "Prefill and decode throughput of random-weight models against the roofline floor, KV cache against none, peak memory.")
        {
            json, quick, threads, noQwen, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var count = Threads(parse, threads);
            var settings = (parse.GetValue(quick) ? GenerateBenchmarkSettings.Quick : new GenerateBenchmarkSettings()) with { Threads = count };
            if (parse.GetValue(noQwen)) settings = settings with { IncludeQwen05B = false };

            var result = GenerateBenchmark.Run(settings, progress: step => console.Error.WriteLine("perf generate: " + step));
            WriteReport(console, JsonNode.Parse(result.ToJson())!.AsObject(), result.ToMarkdown(), parse.GetValue(output)!, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<IReasoningTask> Select(TaskRegistry registry, string? names)
    {
        if (string.IsNullOrWhiteSpace(names)) return registry.All;
        var picked = new List<IReasoningTask>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var task = registry.TryGet(name)
                       ?? throw new HierReasonException($"--tasks: unknown task '{name}': expected one of {string.Join(", ", registry.Names)}");
            if (!picked.Contains(task)) picked.Add(task);
        }
        return picked;
    }

    private static void Render(CliConsole console, ThroughputReport report, string path)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table()
            .Title($"{report.ItemsPerTask} items per task, single thread; baseline {F(report.BaselineOpsPerSecond, "N0")} ops/s, {F(report.BaselineOpsPerCpuSecond, "N0")} ops/CPU-s")
            .AddColumn("Task").AddColumn(new TableColumn("Items/s").RightAligned()).AddColumn(new TableColumn("Items/CPU-s").RightAligned())
            .AddColumn(new TableColumn("reasoning-gym items/CPU-s").RightAligned()).AddColumn(new TableColumn("× reasoning-gym (per CPU-s)").RightAligned())
            .AddColumn(new TableColumn($"≥ {F(report.TargetRatio, "0")}×")).AddColumn(new TableColumn("÷ baseline (CPU)").RightAligned());
        foreach (var r in report.Tasks)
            table.AddRow(
                r.Task,
                F(r.ItemsPerSecond, "N0"),
                F(r.ItemsPerCpuSecond, "N0"),
                r.ReasoningGymItemsPerCpuSecond is double g ? F(g, "N0") : "n/a",
                r.RatioToReasoningGym is double x ? F(x, "0.0") + "×" : "n/a",
                r.MeetsTarget switch { true => "yes", false => "NO", null => "n/a" },
                F(r.RatioToBaseline, "0.000"));
        console.Ansi.Write(table);
        console.Out.WriteLine($"reference: {report.ReferenceProvenance}");
        console.Out.WriteLine($"{report.Machine.ProcessorCount} cores, {report.Machine.Os}, {report.Machine.Dotnet}; written to {path}");
    }
}
