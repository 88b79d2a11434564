using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Harness.Reporting;
using HierReason.Harness.Reporting.Html;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason report &lt;results&gt;</c>: a static, self-contained HTML report of a benchmark run — the summary matrix with
/// 95 % intervals and Δ against a baseline run or the approved snapshot, each task's chart and samples (filterable by
/// outcome, searchable, each sample's episode a click away), and the run's configuration. No network is needed to view it.
/// </summary>
public static class ReportCommand
{
    public static Command Build(IServiceProvider services)
    {
        var input = new Argument<string>("results") { Description = "A results folder (its newest results_all_tasks_<ts>.json) or a results_all_tasks_<ts>.json." };
        var baseline = new Option<string?>("--baseline") { Description = "Another run's results folder or file: the Δ column compares against it, paired on shared items (McNemar's exact test)." };
        var approved = new Option<string?>("--approved")
        {
            Description = $"Without --baseline, the approved snapshot for the Δ column (default: {ApprovedSnapshot.DefaultPath} when it exists).",
        };
        var run = new Option<string?>("--run") { Description = "The run folder holding the samples (default: runs/<run_id> beside the results folder, else artifacts/runs/<run_id>)." };
        var baselineRun = new Option<string?>("--baseline-run") { Description = "The baseline's run folder (found like --run when left out)." };
        var output = new Option<string?>("--output", "-o") { Description = "Folder to write index.html into (default: report/ in the results folder)." }.WithOldSpellings("--out");
        var maxSamples = new Option<int>("--max-samples")
        {
            Description = "Samples kept per row (the page says how many were left out).",
            DefaultValueFactory = _ => HtmlReport.DefaultMaxSamplesPerRow,
        };
        var command = new Command("report",
            "Write a static HTML report of a benchmark run: summary matrix with 95 % Wilson intervals and Δ, per-task charts, every sample with its " +
            "question, gold answer, answer and episode (filter by correct / wrong answer / format failure / truncated, search), and the run's config.")
        {
            input, baseline, approved, run, baselineRun, output, maxSamples,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var reported = ReportedRun.Load(parse.GetValue(input)!, parse.GetValue(run));
            var other = parse.GetValue(baseline) is { } b ? ReportedRun.Load(b, parse.GetValue(baselineRun)) : null;
            var approvedPath = parse.GetValue(approved);
            if (approvedPath is not null && !File.Exists(approvedPath))
                throw new HierReasonException($"{approvedPath}: no approved snapshot there (--approved)");
            if (approvedPath is null && other is null && File.Exists(ApprovedSnapshot.DefaultPath)) approvedPath = ApprovedSnapshot.DefaultPath;
            var snapshot = other is null && approvedPath is not null ? ApprovedSnapshot.Load(approvedPath) : null;
            var data = HtmlReport.Build(reported, other, snapshot, approvedPath, parse.GetValue(maxSamples));
            var folder = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reported.ResultsPath)) ?? ".", "report");
            var path = HtmlReport.Write(data, folder);
            console.Out.WriteLine($"report of {reported.ResultsPath}: {data.Rows.Count} rows, {data.Samples.Count} samples" +
                (data.Baseline is { } info ? $", Δ against {info.Label}" : "") + $"; wrote {path}");
            foreach (var note in data.Notes) console.Error.WriteLine("note: " + note);
            return 0;
        });
        return command;
    }
}
