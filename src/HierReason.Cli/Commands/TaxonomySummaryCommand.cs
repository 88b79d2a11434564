using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Harness.Reporting.Html;
using HierReason.Harness.Thinking;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason taxonomy-summary</c>: issue 23's measurement from a benchmark's taxonomy and vanilla rows — accuracy,
/// thought-type distributions in correct and incorrect episodes, the choices' KL to the uniform chooser, Δ against vanilla —
/// printed and written beside the results as taxonomy.json, taxonomy.md and the heatmap taxonomy-types.png / .svg.
/// </summary>
public static class TaxonomySummaryCommand
{
    public static Command Build(IServiceProvider services)
    {
        var input = new Argument<string>("results") { Description = "A results folder (its newest results_all_tasks_<ts>.json is used), or that file." };
        var run = new Option<string?>("--run") { Description = "The run folder of the results (default: runs/<run_id> beside the results folder, or artifacts/runs/<run_id>, or the results folder when it holds jobs/)." };
        var command = new Command("taxonomy-summary",
            "Thought-type taxonomy (issue 23): per taxonomy and vanilla row, accuracy with its 95 % Wilson interval; per taxonomy row, " +
            "thoughts per episode, explicit and forced finishes, choice parse failures, the thought-type distribution overall and in " +
            "correct vs incorrect episodes, the choices' KL to the uniform chooser, and Δ against the task's vanilla row (paired on items, " +
            $"beyond 2 standard errors or not). Writes {TaxonomyFiles.JsonName}, {TaxonomyFiles.MarkdownName}, {TaxonomyFiles.HeatmapPngName} and {TaxonomyFiles.HeatmapSvgName} beside the results.")
        {
            input, run,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var path = parse.GetValue(input)!;
            if (!Directory.Exists(path) && !File.Exists(path))
                throw new HierReasonException($"{path}: no such results folder (pass the --output folder of 'hierreason bench')");
            var loaded = ReportedRun.Load(path, parse.GetValue(run));
            var report = TaxonomyReport.Of(loaded);
            var written = TaxonomyFiles.Write(report, Path.GetDirectoryName(Path.GetFullPath(loaded.ResultsPath)) ?? ".");
            console.Out.Write(TaxonomyMarkdown.Table(report));
            foreach (var note in report.Notes) console.Out.WriteLine($"note: {note}");
            console.Out.WriteLine($"wrote {string.Join(", ", written)}");
            return 0;
        });
        return command;
    }
}
