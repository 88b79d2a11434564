using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Harness.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason plot</c>: draws a results file as a PNG bar chart (per-task comparison or all-tasks summary).</summary>
public static class PlotCommand
{
    public static Command Build(IServiceProvider services)
    {
        var input = new Argument<string>("results") { Description = "A results_<task>_<ts>.json or results_all_tasks_<ts>.json file (the kind is detected from its fields), or a results folder (its newest results_all_tasks_<ts>.json)." };
        var title = new Option<string?>("--title") { Description = "Chart title (default: task name or 'Accuracy by task and model', with n)." };
        var rename = new Option<string[]>("--rename")
        {
            Description = "Show a model under another name: old=new; repeatable; wins over --rename-file.",
            AllowMultipleArgumentsPerToken = false,
        };
        var renameFile = new Option<string?>("--rename-file") { Description = "JSON object of model renames: {\"old\": \"new\", …}." };
        var output = new Option<string?>("--output", "-o") { Description = "The chart to write, .png or .svg by its extension (default: comparison_<task>_<ts>.png or summary_all_tasks_<ts>.png next to the input)." };
        var width = new Option<int?>("--width") { Description = "Image width in pixels (default 1000, wider with many models or tasks)." };
        var height = new Option<int?>("--height") { Description = "Image height in pixels (default 600, taller when labels are slanted)." };
        var command = new Command("plot", "Draw a results file as a bar chart with ± standard error: one bar per model, or grouped bars per task plus the average.")
        {
            input, title, rename, renameFile, output, width, height,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var path = ResultsFile.ResolveSummaryPath(parse.GetValue(input)!);
            var options = new ChartOptions(parse.GetValue(title), ModelRenames.Parse(parse.GetValue(rename), parse.GetValue(renameFile)),
                parse.GetValue(width), parse.GetValue(height));
            var file = ResultsFile.Load(path);
            options.Names.CheckKnown(file switch
            {
                ResultsFile.SingleTask t => t.Results.Rows.Select(r => r.Model).Distinct().ToArray(),
                ResultsFile.AllTasks a => a.Summary.Models,
                _ => [],
            }, path);
            var (layout, name, kind) = file switch
            {
                ResultsFile.SingleTask t => (ChartBuilder.Comparison(t.Results, options), BenchmarkCharts.ComparisonFileName(t.Results), $"single-task results ({t.Results.Task})"),
                ResultsFile.AllTasks a => (ChartBuilder.Summary(a.Summary, options), BenchmarkCharts.SummaryFileName(a.Summary), $"all-tasks summary ({a.Summary.Tasks.Count} tasks)"),
                _ => throw new InvalidOperationException("unknown results file kind"),
            };
            var target = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", name);
            BenchmarkCharts.Write(layout, target);
            console.Out.WriteLine($"{kind}: wrote {target} ({layout.Width}×{layout.Height})");
            return 0;
        });
        return command;
    }
}
