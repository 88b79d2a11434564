using System.Globalization;
using System.Text;
using HierReason.Core.Results;

namespace HierReason.Harness.Aggregation;

/// <summary>
/// <c>summary.md</c>: task rows × model columns of "acc% ± se" (a Strategy row under the header says how each model ran),
/// an Average row, and the run's facts. An average over
/// fewer tasks than the run's is marked <c>*</c> and footnoted with what it lacks, since it is not comparable with the others.
/// </summary>
public static class MarkdownSummary
{
    public static string Render(BenchmarkSummary summary)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark summary");
        sb.AppendLine();
        sb.Append("| Task |");
        foreach (var model in summary.Models) sb.Append(' ').Append(model).Append(" |");
        sb.AppendLine();
        sb.Append("|---|");
        foreach (var _ in summary.Models) sb.Append("---:|");
        sb.AppendLine();
        sb.Append("| *strategy* |");
        foreach (var model in summary.Models) sb.Append(" *").Append(StrategyOf(summary, model)).Append("* |");
        sb.AppendLine();
        foreach (var task in summary.Tasks)
        {
            sb.Append("| ").Append(task).Append(" |");
            foreach (var model in summary.Models)
            {
                var row = summary.Rows.FirstOrDefault(r => r.Task == task && r.Model == model);
                sb.Append(' ').Append(Cell(row)).Append(" |");
            }
            sb.AppendLine();
        }
        sb.Append("| **Average** |");
        foreach (var model in summary.Models)
        {
            var average = summary.Averages.FirstOrDefault(a => a.Model == model);
            sb.Append(' ').Append(average is null ? "—" : $"**{Percent(average.Accuracy, average.StdErr)}**{(average.Missing is { Count: > 0 } ? Marker : "")}").Append(" |");
        }
        sb.AppendLine();
        sb.AppendLine();
        foreach (var average in summary.Averages.Where(a => a.Missing is { Count: > 0 }))
        {
            var missing = average.Missing!.Select(task => summary.Rows.Any(r => r.Task == task && r.Model == average.Model) ? $"{task} failed" : $"{task} not run");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{Marker} {average.Model}: average over {average.Tasks} of {average.Tasks + average.Missing!.Count} tasks: {string.Join(", ", missing)}."));
            sb.AppendLine();
        }
        var samples = summary.Rows.Sum(r => (long)r.N);
        var failed = summary.Rows.Sum(r => r.FailedJobs);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Accuracy in % ± standard error. {samples} samples; {failed} failed job(s). Run `{summary.Run.RunId}` at {summary.Run.Timestamp} UTC" +
            $"{(summary.Run.GitCommit is { } c ? $", commit {c[..Math.Min(12, c.Length)]}" : "")}, on {string.Join(", ", summary.Run.Devices)}."));
        // A small question space repeats questions within a split: say so, since the effective sample is the distinct questions.
        var repeated = summary.Rows.Where(r => r.N > 0 && r.Questions is { } q && q < r.N)
            .GroupBy(r => r.Task).Select(g => g.First()).ToList();
        if (repeated.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Repeated questions (standard errors are clustered by question; the effective sample is the distinct questions): " +
                string.Join("; ", repeated.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Task} {r.Questions} distinct of {r.N}"))) + ".");
        }
        return sb.ToString();
    }

    /// <summary>The strategy a model ran, from its rows (vanilla for a model without any).</summary>
    public static string StrategyOf(BenchmarkSummary summary, string model) =>
        summary.Rows.FirstOrDefault(r => r.Model == model)?.Strategy ?? Core.Episodes.EpisodeStrategy.VanillaName;

    // Escaped, so Markdown shows the asterisk instead of reading it as emphasis.
    private const string Marker = "\\*";

    private static string Cell(ScoreRow? row) => row switch
    {
        null => "—",
        { N: 0 } => "failed",
        { FailedJobs: > 0 } => Percent(row.Accuracy, row.StdErr) + $" ({row.FailedJobs} failed)",
        _ => Percent(row.Accuracy, row.StdErr),
    };

    private static string Percent(double accuracy, double stdErr) =>
        string.Create(CultureInfo.InvariantCulture, $"{accuracy * 100:0.0} ± {stdErr * 100:0.0}");
}
