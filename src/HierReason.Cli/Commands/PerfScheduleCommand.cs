using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Harness.Perf;
using HierReason.Harness.Running;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason perf schedule</c>: the benchmark scheduler on synthetic jobs of known durations (no model).</summary>
public static class PerfScheduleCommand
{
    public static Command Build(IServiceProvider services)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => "artifacts/perf/schedule.json" }.WithOldSpellings("--out");
        var jobMs = new Option<int>("--job-ms") { Description = "Duration of each of the 16 equal jobs.", DefaultValueFactory = _ => 250 };
        var loadMs = new Option<int>("--load-ms") { Description = "Model-loading cost each worker pays in the mixed matrix.", DefaultValueFactory = _ => 600 };
        var noProcesses = new Option<bool>("--no-processes") { Description = "Skip the scenarios that launch real worker processes." };
        var command = new Command("schedule", "Scheduler makespan vs ideal, per-job overhead, affinity vs round-robin (synthetic jobs, no model).") { json, output, jobMs, loadMs, noProcesses };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            if (parse.GetValue(jobMs) is < 1 or > 60_000) throw new HierReasonException("--job-ms: expected an integer in [1, 60000]");
            if (parse.GetValue(loadMs) is < 0 or > 60_000) throw new HierReasonException("--load-ms: expected an integer in [0, 60000]");
            var scratch = Path.Combine(Path.GetTempPath(), "hierreason-perf-schedule-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var benchmark = new ScheduleBenchmark(parse.GetValue(noProcesses) ? null : WorkerCommand.Resolve(), scratch)
                {
                    EqualJobMs = parse.GetValue(jobMs),
                    LoadMs = parse.GetValue(loadMs),
                };
                var report = await benchmark.RunAsync(line => console.Error.WriteLine("perf schedule: " + line), cancellationToken);
                var text = JsonSerializer.Serialize(report, HierJson.Indented);
                var path = parse.GetValue(output)!;
                AtomicFile.WriteAllText(path, text + Environment.NewLine);
                if (parse.GetValue(json)) console.Out.WriteLine(text);
                else Render(console, report, path);
                return 0;
            }
            finally
            {
                if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }

    private static void Render(CliConsole console, ScheduleReport report, string path)
    {
        var table = new Table().AddColumn("Scenario").AddColumn("Schedule").AddColumn("Workers run as").AddColumn("Jobs").AddColumn("Devices")
            .AddColumn("Workers").AddColumn("Makespan ms").AddColumn("Ideal ms").AddColumn("÷ ideal").AddColumn("Overhead/job ms");
        foreach (var s in report.Scenarios)
            table.AddRow(s.Name, s.Schedule, s.Launcher, I(s.Jobs), I(s.Devices), I(s.Workers), F(s.MakespanMs, "0"), F(s.IdealMs, "0"), F(s.Ratio, "0.000"), F(s.OverheadPerJobMs, "0.0"));
        console.Ansi.Write(table);
        console.Out.WriteLine($"orchestration overhead per job (in-process): {F(report.OrchestrationOverheadMs, "0.00")} ms");
        if (report.LaunchOverheadMs is { } launch) console.Out.WriteLine($"worker process launch overhead per job: {F(launch, "0")} ms");
        console.Out.WriteLine($"affinity vs round-robin on the mixed matrix: {F(report.AffinitySpeedup, "0.00")}× faster");
        console.Out.WriteLine("wrote " + path);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
