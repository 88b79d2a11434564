using System.Globalization;
using System.Text;
using HierReason.Core.Results;

namespace HierReason.Harness.Aggregation;

/// <summary>
/// <c>summary.md</c>: task rows × model columns of "acc % [95 % interval]" (a Strategy row under the header says how each
/// model ran), an Average row in "acc ± se", and the run's facts. The interval is Wilson's on the effective n
/// (<see cref="ProportionInterval"/>) because "0.0 ± 0.0" at 0 % or 100 % claims a certainty 48 items cannot give, and a
/// row whose items repeat few distinct questions gets a warning line, since its n overstates the evidence. An average over
/// fewer tasks than the run's is marked <c>*</c> and footnoted with what it lacks, since it is not comparable with the others.
/// Below it, kept out of the main table so that stays readable: the answer-collapse table (distinct answers / distinct gold
/// answers, the top answer's share, the constant-answer accuracy per task) when the rows carry it, and pass@k / maj@k /
/// one-sample accuracy and the unbiased pass@1 … pass@k curve for the models sampled more than once per item.
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
                var row = summary.Rows.FirstOrDefault(r => r.Cell == task && r.Model == model);
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
            var missing = average.Missing!.Select(task => summary.Rows.Any(r => r.Cell == task && r.Model == average.Model) ? $"{task} failed" : $"{task} not run");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{Marker} {average.Model}: average over {average.Tasks} of {average.Tasks + average.Missing!.Count} tasks: {string.Join(", ", missing)}."));
            sb.AppendLine();
        }
        var samples = summary.Rows.Sum(r => (long)r.N * (r.SamplesPerItem ?? 1));
        var failed = summary.Rows.Sum(r => r.FailedJobs);
        sb.AppendLine(IntervalNote);
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{samples} samples; {failed} failed job(s). Run `{summary.Run.RunId}` at {summary.Run.Timestamp} UTC" +
            $"{(summary.Run.GitCommit is { } c ? $", commit {c[..Math.Min(12, c.Length)]}" : "")}, on {string.Join(", ", summary.Run.Devices)}."));
        var warnings = Warnings(summary);
        if (warnings.Count > 0)
        {
            sb.AppendLine();
            foreach (var warning in warnings) sb.AppendLine($"- **Warning:** {warning}");
        }
        AppendAnswers(sb, summary);
        AppendSampled(sb, summary);
        AppendPassAt(sb, summary);
        AppendStats(sb, summary);
        return sb.ToString();
    }

    /// <summary>
    /// The strategies' episode statistics (planner_worker: decomposition rate, sub-problems, worker tokens, …), one line per
    /// task × model that has them, a column per statistic; nothing when no row has any.
    /// </summary>
    private static void AppendStats(StringBuilder sb, BenchmarkSummary summary)
    {
        var rows = summary.Rows.Where(r => r.Stats is not null).ToList();
        if (rows.Count == 0) return;
        var names = rows.SelectMany(r => r.Stats!.Means.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        sb.AppendLine();
        sb.AppendLine("## Episode statistics");
        sb.AppendLine();
        sb.AppendLine("Means over each item's first sample of the statistics a strategy's episodes record (an episode without one counts 0).");
        sb.AppendLine();
        sb.AppendLine("| Task | Model | Strategy | " + string.Join(" | ", names) + " |");
        sb.AppendLine("|---|---|---|" + string.Concat(names.Select(_ => "---:|")));
        foreach (var row in rows)
            sb.AppendLine($"| {row.Cell} | {row.Model} | {row.Strategy} | " +
                string.Join(" | ", names.Select(n => string.Create(CultureInfo.InvariantCulture, $"{row.Stats!.Mean(n) ?? 0:0.###}"))) + " |");
    }

    /// <summary>
    /// Per task: the constant-answer accuracy (one value when every model saw the same items, else the range), and per model
    /// "distinct / gold distinct · top share". Left out when no row carries the diagnostics (results from before them).
    /// </summary>
    private static void AppendAnswers(StringBuilder sb, BenchmarkSummary summary)
    {
        if (!summary.Rows.Any(r => r.DistinctAnswers is not null)) return;
        sb.AppendLine();
        sb.AppendLine("## Answers");
        sb.AppendLine();
        sb.AppendLine("Distinct answers given / distinct gold answers · the share of the most common answer (first sample of each item). " +
            "*Constant*: the accuracy of always giving the most common gold answer; an accuracy near it with few distinct answers " +
            "means the model learned the answer distribution, not the task.");
        sb.AppendLine();
        sb.Append("| Task | *constant* |");
        foreach (var model in summary.Models) sb.Append(' ').Append(model).Append(" |");
        sb.AppendLine();
        sb.Append("|---|---:|");
        foreach (var _ in summary.Models) sb.Append("---:|");
        sb.AppendLine();
        foreach (var task in summary.Tasks)
        {
            var constants = summary.Rows.Where(r => r.Cell == task && r.N > 0 && r.ConstantAnswerAccuracy is not null)
                .Select(r => r.ConstantAnswerAccuracy!.Value * 100).ToList();
            var constant = constants.Count == 0 ? "—"
                : string.Create(CultureInfo.InvariantCulture, $"{constants.Min():0.0}") + (constants.Max() - constants.Min() >= 0.05
                    ? string.Create(CultureInfo.InvariantCulture, $"–{constants.Max():0.0}") : "");
            sb.Append("| ").Append(task).Append(" | ").Append(constant).Append(" |");
            foreach (var model in summary.Models)
            {
                var row = summary.Rows.FirstOrDefault(r => r.Cell == task && r.Model == model);
                sb.Append(' ').Append(row switch
                {
                    null => "—",
                    { N: 0 } => "failed",
                    { DistinctAnswers: { } d, GoldDistinctAnswers: { } g, TopAnswerShare: { } top } =>
                        string.Create(CultureInfo.InvariantCulture, $"{d} / {g} · {top * 100:0}%"),
                    _ => "—",
                }).Append(" |");
            }
            sb.AppendLine();
        }
    }

    /// <summary>pass@k / maj@k / one-sample accuracy, for the models sampled k &gt; 1 times per item; nothing when none was.</summary>
    private static void AppendSampled(StringBuilder sb, BenchmarkSummary summary)
    {
        var sampled = summary.Models
            .Select(m => (Model: m, K: summary.Rows.Where(r => r.Model == m).Select(r => r.SamplesPerItem).FirstOrDefault(k => k is not null)))
            .Where(m => m.K is not null).ToList();
        if (sampled.Count == 0) return;
        sb.AppendLine();
        sb.AppendLine("## Sampled");
        sb.AppendLine();
        sb.AppendLine("pass@k / maj@k / mean one-sample accuracy in %, over k samples per item (models.json `generation.n`); " +
            "the main table shows each item's first sample.");
        sb.AppendLine();
        sb.Append("| Task |");
        foreach (var (model, k) in sampled) sb.Append(' ').Append(model).Append(string.Create(CultureInfo.InvariantCulture, $" (k = {k})")).Append(" |");
        sb.AppendLine();
        sb.Append("|---|");
        foreach (var _ in sampled) sb.Append("---:|");
        sb.AppendLine();
        foreach (var task in summary.Tasks)
        {
            sb.Append("| ").Append(task).Append(" |");
            foreach (var (model, _) in sampled)
            {
                var row = summary.Rows.FirstOrDefault(r => r.Cell == task && r.Model == model);
                sb.Append(' ').Append(row switch
                {
                    null => "—",
                    { N: 0 } => "failed",
                    { PassAtK: { } pass, MajAtK: { } maj, SampleAccuracy: { } one } =>
                        string.Create(CultureInfo.InvariantCulture, $"{pass * 100:0.0} / {maj * 100:0.0} / {one * 100:0.0}"),
                    _ => "—",
                }).Append(" |");
            }
            sb.AppendLine();
        }
    }

    /// <summary>What the main table's numbers are, said once under it.</summary>
    public const string IntervalNote =
        "Accuracy in % [" + ProportionInterval.Kind + " on the effective n]: the effective n is about n, less when questions repeat " +
        "(the Kish design effect of the question-clustered standard error; the distinct questions at 0 % and 100 %). " +
        "Averages: the unweighted mean over tasks in % ± its standard error (√Σse² ÷ tasks), not an interval.";

    /// <summary>
    /// One line per row whose n exceeds its distinct questions: "chain_sum × a: 200 samples of only 41 distinct questions — the
    /// interval uses the effective n ≈ 41". The summary lists them, and the CLI repeats them on stderr, because a cell drawn
    /// from a small question space looks far better measured than it is.
    /// </summary>
    public static IReadOnlyList<string> Warnings(BenchmarkSummary summary) =>
        summary.Rows.Where(r => r.RepeatsQuestions).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Cell} × {r.Model}: {r.N} samples of only {r.Questions} distinct questions — the interval uses the effective n ≈ {r.EffectiveN:0}")).ToList();

    /// <summary>"n = 200", or "n = 200 (41 distinct)" when the items repeat questions.</summary>
    public static string SampleSize(int n, long? questions) => "n = " + Count(n, questions);

    /// <summary>"200", or "200 (41 distinct)" when fewer of the items are distinct questions.</summary>
    public static string Count(int n, long? questions) => questions is { } q && q < n
        ? string.Create(CultureInfo.InvariantCulture, $"{n} ({q} distinct)")
        : n.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The unbiased pass@j curve (<see cref="PassAtEstimator"/>) per task × model sampled k &gt; 1 times per item, a column
    /// per j; nothing when no row has one (single samples, or results from before the curve).
    /// </summary>
    private static void AppendPassAt(StringBuilder sb, BenchmarkSummary summary)
    {
        var rows = summary.Rows.Where(r => r.N > 0 && r.SamplesPerItem > 1 && r.PassAt is { Count: > 0 }).ToList();
        if (rows.Count == 0) return;
        var ks = rows.SelectMany(r => r.PassAt!.Keys).Distinct().Order().ToList();
        sb.AppendLine();
        sb.AppendLine("## pass@k");
        sb.AppendLine();
        sb.AppendLine("Unbiased pass@k in % (Chen et al. 2021): per item with n samples of which c scored 1, 1 − C(n − c, k) ÷ C(n, k), " +
            "averaged over items: the chance that k of the samples include a right one.");
        sb.AppendLine();
        sb.AppendLine("| Task | Model | samples per item | " + string.Join(" | ", ks.Select(k => string.Create(CultureInfo.InvariantCulture, $"pass@{k}"))) + " |");
        sb.AppendLine("|---|---|---:|" + string.Concat(ks.Select(_ => "---:|")));
        foreach (var row in rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Cell} | {row.Model} | {row.SamplesPerItem} | ") +
                string.Join(" | ", ks.Select(k => row.PassAt!.TryGetValue(k, out var v) ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.0}") : "—")) + " |");
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
        { FailedJobs: > 0 } => WithInterval(row) + $" ({row.FailedJobs} failed)",
        _ => WithInterval(row),
    };

    /// <summary>"62.5 % [35.4, 83.3]": the accuracy and its 95 % interval in percent (<see cref="ScoreRow.Interval"/>).</summary>
    internal static string WithInterval(ScoreRow row)
    {
        var (low, high) = row.Interval() ?? (0, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{row.Accuracy * 100:0.0} % [{low * 100:0.0}, {high * 100:0.0}]");
    }

    /// <summary>"acc ± se" in percent with one decimal, as every report of the benchmark writes it.</summary>
    internal static string Percent(double accuracy, double stdErr) =>
        string.Create(CultureInfo.InvariantCulture, $"{accuracy * 100:0.0} ± {stdErr * 100:0.0}");
}
