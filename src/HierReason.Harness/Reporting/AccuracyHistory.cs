using System.Text.Json.Serialization;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>
/// Each row's accuracy over a series of benchmark runs (github-action-benchmark's history, for accuracy): what
/// <c>hierreason history</c> writes as <c>history.json</c> and draws as <c>history.md</c> and <c>history.svg</c>/<c>.png</c>.
/// </summary>
/// <param name="SchemaVersion">Bumped when a field changes meaning.</param>
/// <param name="Interval">What <c>ci_low</c>/<c>ci_high</c> are (<see cref="ProportionInterval.Kind"/>).</param>
/// <param name="Runs">The results files, oldest first (by <c>started_at</c>, then timestamp, then file).</param>
/// <param name="Rows">One per task cell × model × strategy seen in any run, in order of first appearance.</param>
public sealed record AccuracyHistory(int SchemaVersion, string Interval, IReadOnlyList<HistoryRun> Runs, IReadOnlyList<HistoryRow> Rows)
{
    public const int CurrentSchema = 1;

    /// <summary>Characters of a commit hash a run's label keeps.</summary>
    public const int ShortCommitLength = 7;

    /// <summary>Places the given summaries in run order and gathers each row's points; <c>File</c> is what points name.</summary>
    public static AccuracyHistory Build(IEnumerable<(string File, BenchmarkSummary Summary)> results)
    {
        var ordered = results
            .OrderBy(r => r.Summary.Run.StartedAt)
            .ThenBy(r => r.Summary.Run.Timestamp, StringComparer.Ordinal)
            .ThenBy(r => r.File, StringComparer.Ordinal)
            .ToList();

        var runs = new List<HistoryRun>(ordered.Count);
        var timesSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new Dictionary<(string Cell, string Model, string Strategy), List<HistoryPoint>>();
        foreach (var (file, summary) in ordered)
        {
            var commit = string.IsNullOrWhiteSpace(summary.Run.GitCommit) ? null : summary.Run.GitCommit.Trim();
            var basis = commit is null ? summary.Run.Timestamp : commit[..Math.Min(ShortCommitLength, commit.Length)];
            var nth = timesSeen[basis] = timesSeen.GetValueOrDefault(basis) + 1;
            var run = new HistoryRun(runs.Count, nth == 1 ? basis : $"{basis} ({nth})", commit, summary.Run.Timestamp, summary.Run.StartedAt, file);
            runs.Add(run);
            foreach (var row in summary.Rows)
            {
                // A cell whose jobs all failed scored nothing: its 0 % is no accuracy, so it gets no point.
                if (row.N <= 0) continue;
                var key = (row.Cell, row.Model, row.Strategy);
                if (!rows.TryGetValue(key, out var points)) rows[key] = points = [];
                points.Add(PointOf(run, row));
            }
        }
        return new AccuracyHistory(CurrentSchema, ProportionInterval.Kind, runs,
            rows.Select(r => new HistoryRow(r.Key.Cell, r.Key.Model, r.Key.Strategy, r.Value)).ToList());
    }

    private static HistoryPoint PointOf(HistoryRun run, ScoreRow row)
    {
        // Files written before the interval existed lack it: compute it as the pipeline does.
        var (low, high) = (row.CiLow, row.CiHigh);
        if (low is null || high is null)
        {
            var interval = ProportionInterval.Of(row.Accuracy, row.StdErr, row.N, row.Questions);
            (low, high) = (interval.Low, interval.High);
        }
        return new HistoryPoint(run.Index, run.Label, run.Commit, run.Timestamp, row.Accuracy, low.Value, high.Value, row.N, run.File);
    }
}

/// <summary>One results file in a history: where it sits on the x axis and what its tick says.</summary>
/// <param name="Index">Its place in run order, from 0.</param>
/// <param name="Label">The commit's first 7 characters, or the timestamp when the run had no commit; a commit's (or
/// timestamp's) second and later runs add " (2)", " (3)", ….</param>
/// <param name="Commit">The full commit, or null outside a git checkout.</param>
/// <param name="File">The file, relative to the folder searched.</param>
public sealed record HistoryRun(int Index, string Label, string? Commit, string Timestamp, DateTimeOffset StartedAt, string File);

/// <summary>A row's accuracy in one run, with its interval (fractions in [0, 1]).</summary>
/// <param name="Run">The run's <see cref="HistoryRun.Index"/>.</param>
public sealed record HistoryPoint(
    int Run,
    string Label,
    string? Commit,
    string Timestamp,
    double Accuracy,
    double CiLow,
    double CiHigh,
    int N,
    string File)
{
    /// <summary>Whether the two intervals share any value.</summary>
    public bool Overlaps(HistoryPoint other) => CiLow <= other.CiHigh && other.CiLow <= CiHigh;
}

/// <summary>One task cell × model × strategy across runs; a run without the row (or whose cell scored nothing) has no point.</summary>
public sealed record HistoryRow(string Cell, string Model, string Strategy, IReadOnlyList<HistoryPoint> Points)
{
    /// <summary>"task × model (strategy)", as the chart's legend says it.</summary>
    [JsonIgnore]
    public string Name => $"{Cell} × {Model} ({Strategy})";

    /// <summary>The row's last point and the one before it, when it has two.</summary>
    [JsonIgnore]
    public (HistoryPoint Previous, HistoryPoint Latest)? LastTwo => Points.Count >= 2 ? (Points[^2], Points[^1]) : null;

    /// <summary>The latest accuracy lies outside the previous point's interval.</summary>
    [JsonIgnore]
    public bool LeftPreviousInterval => LastTwo is (var p, var l) && (l.Accuracy < p.CiLow || l.Accuracy > p.CiHigh);

    /// <summary>The latest and previous intervals do not overlap: a change noise hardly explains.</summary>
    [JsonIgnore]
    public bool Separated => LastTwo is (var p, var l) && !l.Overlaps(p);
}
