using System.CommandLine;
using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Harness.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason history</c>: each row's accuracy across a folder of runs, as JSON, a Markdown table and a chart.</summary>
public static class HistoryCommand
{
    public static Command Build(IServiceProvider services)
    {
        var folder = new Argument<string>("folder") { Description = "A folder of runs: every results_all_tasks_<ts>.json under it (recursively) is one run." };
        var output = new Option<string?>("--output", "-o") { Description = "Folder to write history.json, history.md, history.svg and history.png into (default: <folder>/history)." }.WithOldSpellings("--out");
        var command = new Command("history",
            "Plot each task × model × strategy's accuracy across runs (ordered by start time, labelled by short commit) with its " +
            "95 % Wilson interval, and flag rows whose latest accuracy left the previous run's interval. Exit 2 when the folder holds no results.")
        {
            folder, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var root = parse.GetValue(folder)!;
            var history = HistoryReport.Load(root);
            var outDir = parse.GetValue(output) ?? HistoryReport.DefaultOutput(root);
            var written = HistoryReport.Write(history, outDir);

            var moved = history.Rows.Where(r => r.LeftPreviousInterval).ToList();
            console.Out.WriteLine($"{history.Runs.Count} runs ({string.Join(", ", history.Runs.Select(r => r.Label))}), {history.Rows.Count} rows");
            console.Out.WriteLine(moved.Count == 0
                ? "no row's latest accuracy left the previous run's interval"
                : $"{moved.Count} rows' latest accuracy left the previous run's interval:");
            foreach (var row in moved)
            {
                var (previous, latest) = row.LastTwo!.Value;
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {row.Name}: {HistoryTable.Cell(previous)} ({previous.Label}) → {latest.Accuracy * 100:0.0} % ({latest.Label}), Δ {HistoryTable.Delta(row)}"));
            }
            foreach (var path in written) console.Out.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }
}
