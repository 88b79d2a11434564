using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Harness.Hierarchical;
using HierReason.Harness.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason hierarchical-summary</c>: issue 19's A/B/S/C/O measurement from a benchmark's results (rows of models
/// named <c>A-…</c> to <c>O-…</c>), printed and written beside them as hierarchical.json and hierarchical.md.
/// </summary>
public static class HierarchicalSummaryCommand
{
    public static Command Build(IServiceProvider services)
    {
        var input = new Argument<string>("results") { Description = "A results_all_tasks_<ts>.json, or a results folder (its newest one is used)." };
        var command = new Command("hierarchical-summary",
            "Planner/worker configurations A (worker alone), B (untrained planner), S (SFT planner), C (GRPO planner), O (gold plan) " +
            "from rows whose model names start with the letter: accuracies ± clustered standard errors, decomposition rate, " +
            "sub-problems, worker tokens, C − A and C − B in combined standard errors, the gap closed (C − A) / (O − A) and the " +
            $"precondition (the worker on single sub-problems vs whole questions). Writes {HierarchicalFiles.JsonName} and {HierarchicalFiles.MarkdownName} beside the results.")
        {
            input,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var path = ResultsFile.ResolveSummaryPath(parse.GetValue(input)!);
            var report = HierarchicalReport.Of(ResultsFile.LoadSummary(path));
            var written = HierarchicalFiles.Write(report, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
            console.Out.Write(HierarchicalMarkdown.Render(report));
            console.Out.WriteLine($"wrote {string.Join(", ", written)}");
            return 0;
        });
        return command;
    }
}
