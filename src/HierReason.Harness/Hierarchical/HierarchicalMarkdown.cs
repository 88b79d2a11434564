using System.Globalization;
using System.Text;
using static HierReason.Harness.Aggregation.MarkdownSummary;

namespace HierReason.Harness.Hierarchical;

/// <summary><c>hierarchical.md</c> (and what <c>hierreason hierarchical-summary</c> prints): per task, the A/B/S/C/O table, the differences, the gap closed and the precondition.</summary>
public static class HierarchicalMarkdown
{
    private static readonly IReadOnlyDictionary<string, string> Meaning = new Dictionary<string, string>
    {
        ["A"] = "worker alone",
        ["B"] = "untrained planner + worker",
        ["S"] = "SFT planner + worker",
        ["C"] = "GRPO planner + worker",
        ["O"] = "gold plan + worker (upper bound)",
    };

    public static string Render(HierarchicalReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Planner / worker (issue 19)");
        sb.AppendLine();
        sb.AppendLine(Invariant($"Run `{report.RunId}` at {report.Timestamp} UTC. Accuracy in % ± clustered standard error; planner statistics are means per item."));
        foreach (var task in report.Tasks)
        {
            sb.AppendLine();
            sb.AppendLine($"## {task.Task}");
            sb.AppendLine();
            sb.AppendLine("| | Configuration | Model | Strategy | Accuracy | n | Decomposed | Sub-problems | Worker tokens | Parse failed | Plan cut off |");
            sb.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var c in task.Configurations)
                sb.AppendLine(Invariant($"| **{c.Letter}** | {Meaning[c.Letter]} | {c.Model} | {c.Strategy} | {Percent(c.Accuracy, c.StdErr)} | {Count(c.N, c.Questions)} | ") +
                    $"{Rate(c.Decomposed)} | {Number(c.Subproblems, "0.00")} | {Number(c.WorkerTokens, "0.0")} | {Rate(c.ParseFailed)} | {Rate(c.Truncated)} |");
            sb.AppendLine();
            foreach (var d in task.Differences)
                sb.AppendLine(Invariant($"- {d.Higher} − {d.Lower}: {d.Difference * 100:+0.0;−0.0;0.0} points ± {d.StdErr * 100:0.0} (z = {d.Z:0.00}){(d.Significant ? ", more than 2 combined standard errors" : "")}"));
            sb.AppendLine(task.GapClosed is { } gap
                ? Invariant($"- Gap closed (C − A) / (O − A): {gap:0.00} ± {task.GapClosedStdErr:0.00} (delta method, rows taken as independent)")
                : "- Gap closed (C − A) / (O − A): — (needs A, C and O with O ≠ A)");
            sb.AppendLine(task.Precondition is { } p
                ? Invariant($"- Precondition: the worker solves {p.SubproblemAccuracy * 100:0.0} % of single gold sub-problems ({p.SubproblemsPerItem:0.00} per item, under O) against {Percent(p.WholeAccuracy, p.WholeStdErr)} % of whole questions (A): margin {p.Margin * 100:+0.0;−0.0;0.0} points")
                : "- Precondition: — (needs A and O's gold sub-problem statistics)");
        }
        return sb.ToString();
    }

    private static string Rate(double? value) => value is { } v ? Invariant($"{v * 100:0.0} %") : "—";

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
