using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Results;

namespace HierReason.Harness.Hierarchical;

/// <summary>
/// Issue 19's measurement read off a benchmark summary whose model names start with a configuration letter
/// (<c>A-worker</c>, <c>B-…</c>, <c>S-…</c>, <c>C-…</c>, <c>O-…</c>): per task, each configuration's accuracy with its
/// clustered standard error and planner statistics, C − A and C − B with their combined standard errors, the gap closed
/// (C − A) / (O − A), and the precondition (the worker on single sub-problems against whole questions).
/// </summary>
public sealed record HierarchicalReport(int SchemaVersion, string RunId, string Timestamp, IReadOnlyList<HierarchicalTask> Tasks)
{
    public const int CurrentSchema = 1;

    /// <summary>The configurations in the order the issue lists them.</summary>
    public static readonly IReadOnlyList<string> Letters = ["A", "B", "S", "C", "O"];

    /// <summary>The report of <paramref name="summary"/>'s lettered rows; a summary without any is a user error.</summary>
    public static HierarchicalReport Of(BenchmarkSummary summary)
    {
        var lettered = summary.Rows.Where(r => r.N > 0 && LetterOf(r.Model) is not null).ToList();
        if (lettered.Count == 0)
            throw new HierReasonException($"run {summary.Run.RunId}: no scored row of a model named after a configuration letter " +
                $"({string.Join(", ", Letters.Select(l => l + "-…"))}); the hierarchical report reads tasks/hierarchical/models.json's names");
        var tasks = summary.Tasks.Select(task => HierarchicalTask.Of(task, lettered.Where(r => r.Cell == task).ToList()))
            .Where(t => t.Configurations.Count > 0).ToList();
        return new HierarchicalReport(CurrentSchema, summary.Run.RunId, summary.Run.Timestamp, tasks);
    }

    /// <summary>The configuration letter a model's name starts with (<c>C-grpo-planner</c> → C), or null.</summary>
    public static string? LetterOf(string model) =>
        model.Length > 2 && model[1] == '-' && Letters.Contains(model[..1]) ? model[..1] : null;
}

/// <summary>One task's configurations and the comparisons between them; a figure whose rows are missing is null.</summary>
/// <param name="GapClosed">(C − A) / (O − A): the share of the gold plan's gain over the worker alone that the GRPO planner reaches; null without A, C and O or when O = A.</param>
/// <param name="GapClosedStdErr">Its standard error by the delta method, the three rows taken as independent.</param>
public sealed record HierarchicalTask(
    string Task,
    IReadOnlyList<ConfigurationRow> Configurations,
    IReadOnlyList<AccuracyDifference> Differences,
    double? GapClosed,
    double? GapClosedStdErr,
    Precondition? Precondition)
{
    public static HierarchicalTask Of(string task, IReadOnlyList<ScoreRow> rows)
    {
        var configurations = HierarchicalReport.Letters
            .SelectMany(letter => rows.Where(r => HierarchicalReport.LetterOf(r.Model) == letter).Select(r => ConfigurationRow.Of(letter, r)))
            .ToList();
        ConfigurationRow? Get(string letter) => configurations.FirstOrDefault(c => c.Letter == letter);
        var (a, b, c, o) = (Get("A"), Get("B"), Get("C"), Get("O"));
        var differences = new[] { (c, a), (c, b), (Get("S"), a), (o, a) }
            .Where(p => p.Item1 is not null && p.Item2 is not null)
            .Select(p => AccuracyDifference.Of(p.Item1!, p.Item2!)).ToList();
        var (gap, gapSe) = a is null || c is null || o is null ? (null, null) : Gap(a, c, o);
        var precondition = a is not null && o?.SubproblemAccuracy is { } sub ? new Precondition(sub, o.GoldSubproblems ?? 0, a.Accuracy, a.StdErr) : null;
        return new HierarchicalTask(task, configurations, differences, gap, gapSe, precondition);
    }

    /// <summary>
    /// g = (C − A) / (O − A) and its delta-method standard error
    /// √(se_C² / d² + se_A² (C − O)² / d⁴ + se_O² (C − A)² / d⁴) with d = O − A; null when d = 0.
    /// </summary>
    public static (double? Gap, double? StdErr) Gap(ConfigurationRow a, ConfigurationRow c, ConfigurationRow o)
    {
        var d = o.Accuracy - a.Accuracy;
        if (d == 0) return (null, null);
        var d2 = d * d;
        var variance = c.StdErr * c.StdErr / d2
            + a.StdErr * a.StdErr * Math.Pow(c.Accuracy - o.Accuracy, 2) / (d2 * d2)
            + o.StdErr * o.StdErr * Math.Pow(c.Accuracy - a.Accuracy, 2) / (d2 * d2);
        return ((c.Accuracy - a.Accuracy) / d, Math.Sqrt(variance));
    }
}

/// <summary>One configuration's row: its accuracy (clustered standard error) and, for planner_worker, its episode means.</summary>
/// <param name="Decomposed">Share of items whose plan decomposed.</param>
/// <param name="Subproblems">Mean sub-problems per item (0 for a direct solve).</param>
/// <param name="WorkerTokens">Mean worker completion tokens per item.</param>
/// <param name="ParseFailed">Share of plans that could not be read.</param>
/// <param name="Truncated">Share of plans cut off by the planner's token budget (the worker never saw them).</param>
/// <param name="SubproblemAccuracy">Of the sub-questions that are word for word gold ones, the share the worker answered right.</param>
/// <param name="GoldSubproblems">Mean such sub-questions per item.</param>
/// <param name="Questions">Distinct questions among the N items (<see cref="ScoreRow.Questions"/>); fewer when questions repeat.</param>
public sealed record ConfigurationRow(
    string Letter,
    string Model,
    string Strategy,
    double Accuracy,
    double StdErr,
    int N,
    double? Decomposed,
    double? Subproblems,
    double? WorkerTokens,
    double? ParseFailed,
    double? Truncated,
    double? SubproblemAccuracy,
    double? GoldSubproblems,
    long? Questions = null)
{
    public static ConfigurationRow Of(string letter, ScoreRow row)
    {
        // A row with statistics counts one its episodes never recorded as 0 (as EpisodeStats does per episode); one without has none.
        double? Mean(string name) => row.Stats is { } stats ? stats.Mean(name) ?? 0 : null;
        var gold = Mean(PlannerNotes.GoldSubproblems);
        var solved = Mean(PlannerNotes.GoldSubproblemsSolved);
        return new ConfigurationRow(letter, row.Model, row.Strategy, row.Accuracy, row.StdErr, row.N,
            Mean(PlannerNotes.Decomposed), Mean(PlannerNotes.Subproblems), Mean(PlannerNotes.WorkerTokens),
            Mean(PlannerNotes.ParseFailed), Mean(EpisodeStats.Truncated), gold is > 0 && solved is { } s ? s / gold : null, gold, row.Questions);
    }
}

/// <summary>Accuracy of <paramref name="Higher"/> minus that of <paramref name="Lower"/>, with the combined standard error √(se₁² + se₂²).</summary>
public sealed record AccuracyDifference(string Higher, string Lower, double Difference, double StdErr)
{
    public static AccuracyDifference Of(ConfigurationRow higher, ConfigurationRow lower) =>
        new(higher.Letter, lower.Letter, higher.Accuracy - lower.Accuracy, Math.Sqrt(higher.StdErr * higher.StdErr + lower.StdErr * lower.StdErr));

    /// <summary>The difference in combined standard errors (0 when both errors are 0).</summary>
    public double Z => StdErr == 0 ? 0 : Difference / StdErr;

    /// <summary>Whether Higher beats Lower by more than two combined standard errors (issue 19's bar for C over A and B).</summary>
    public bool Significant => Difference > 2 * StdErr;
}

/// <summary>
/// Whether decomposition can help: the worker's accuracy on single gold sub-problems (under the gold plan, O) against its
/// accuracy on whole questions (A). The sub-problem accuracy pools O's episode means, so it has no standard error here.
/// </summary>
public sealed record Precondition(double SubproblemAccuracy, double SubproblemsPerItem, double WholeAccuracy, double WholeStdErr)
{
    /// <summary>Single sub-problems minus whole questions, in accuracy points (a fraction).</summary>
    public double Margin => SubproblemAccuracy - WholeAccuracy;
}
