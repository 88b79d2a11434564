using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Harness.ProcessRewards;
using HierReason.Harness.Reporting.Html;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason process-summary</c>: issue 22's measurement from BenchmarkHierarchical's process section (rows named
/// sft, sft-maj8, sft-bo8-orm, sft-bo8-prm, dpo, pdpo, step-dpo, and the loop's files), printed and written beside the
/// results as process.json and process.md.
/// </summary>
public static class ProcessSummaryCommand
{
    public static Command Build(IServiceProvider services)
    {
        var input = new Argument<string>("results") { Description = "A results_all_tasks_<ts>.json, or a results folder (its newest one is used)." };
        var work = new Option<string>("--work") { Description = "The loop's folder (labels/, reward-models/, pairs/, models/).", DefaultValueFactory = _ => "artifacts/process" };
        var run = new Option<string?>("--run") { Description = "The run folder of the results (default: runs/<run_id> beside the results folder, or artifacts/runs/<run_id>)." };
        var command = new Command("process-summary",
            "Process rewards: SFT greedy, majority@8, ORM and PRM best-of-8 (pass@8 as the bound), DPO, pDPO and Step-DPO per task, " +
            "compared on shared items (paired Δ, its standard error, McNemar's p; PRM best-of-8 vs majority@8 in 2 standard errors), with " +
            $"label quality per K, reward-model held-out metrics, pair statistics and DPO diagnostics. Writes {ProcessReport.JsonName} and {ProcessReport.MarkdownName} beside the results.")
        {
            input, work, run,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var loaded = ReportedRun.Load(parse.GetValue(input)!, parse.GetValue(run));
            var report = ProcessReport.Of(loaded, parse.GetValue(work)!);
            var written = ProcessReport.Write(report, Path.GetDirectoryName(Path.GetFullPath(loaded.ResultsPath)) ?? ".");
            console.Out.Write(report.Markdown());
            console.Out.WriteLine($"wrote {string.Join(", ", written)}");
            return 0;
        });
        return command;
    }
}
