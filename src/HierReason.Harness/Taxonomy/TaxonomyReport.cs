using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Taxonomies;
using HierReason.Harness.Reporting.Html;

namespace HierReason.Harness.Thinking;

/// <summary>
/// Issue 23's measurement read off a benchmark's results: every taxonomy row and vanilla row with its accuracy and 95 %
/// interval; for a taxonomy row, its episodes (<see cref="TaxonomyEpisodes"/>: thoughts, finishes, the thought-type
/// distribution in correct and incorrect episodes, the choices' KL to the uniform chooser) and its paired difference from
/// the vanilla row of its task (<see cref="VanillaComparison"/>).
/// </summary>
/// <param name="Notes">What could not be read (a missing samples file, a job file) and what was not compared, and why.</param>
public sealed record TaxonomyReport(int SchemaVersion, string RunId, string Timestamp, IReadOnlyList<TaxonomyRow> Rows, IReadOnlyList<string> Notes)
{
    public const int CurrentSchema = 1;

    /// <summary>The taxonomy rows (those with episodes), in the results' order.</summary>
    [JsonIgnore]
    public IEnumerable<TaxonomyRow> TaxonomyRows => Rows.Where(r => r.Episodes is not null);

    /// <summary>
    /// The report of <paramref name="run"/>'s scored taxonomy and vanilla rows; results without a taxonomy row are a user
    /// error. The samples are read from the run folder, or from the results folder itself when it holds <c>jobs/</c>.
    /// </summary>
    public static TaxonomyReport Of(ReportedRun run)
    {
        var summary = run.Summary;
        var rows = summary.Rows.Where(r => r.N > 0 && r.Strategy is StrategyCatalog.TaxonomyName or EpisodeStrategy.VanillaName).ToList();
        if (!rows.Any(r => r.Strategy == StrategyCatalog.TaxonomyName))
            throw new HierReasonException($"{run.ResultsPath}: no scored row of the '{StrategyCatalog.TaxonomyName}' strategy (run {summary.Run.RunId} has " +
                $"{string.Join(", ", summary.Rows.Select(r => r.Strategy).Distinct().DefaultIfEmpty("no rows"))}); run a models.json whose model names strategy \"taxonomy\"");
        if (run.Run is null && Path.GetDirectoryName(Path.GetFullPath(run.ResultsPath)) is { } folder && Directory.Exists(Path.Combine(folder, RunLayout.JobsFolderName)))
            run = run with { Run = RunLayout.At(folder) };
        var notes = new List<string>();
        var jobs = rows.Select(r => (Row: r, Job: FirstJob(r, run.Run, notes))).ToList();
        var vanilla = jobs.Where(j => j.Row.Strategy == EpisodeStrategy.VanillaName).ToList();
        var report = jobs.Select(j => j.Row.Strategy == EpisodeStrategy.VanillaName
                ? TaxonomyRow.Scored(j.Row)
                : TaxonomyRow.Of(j.Row, j.Job, run, Opponent(j.Row, j.Job, vanilla, notes), notes))
            .ToList();
        return new TaxonomyReport(CurrentSchema, summary.Run.RunId, summary.Run.Timestamp, report, notes.Distinct().ToList());
    }

    /// <summary>
    /// The vanilla row a taxonomy row is compared with: the one of its task (and level) whose model is its chooser (the
    /// same name, or the same checkpoint or endpoint by the job files), else the task's only vanilla row; null (with a
    /// note) when there is none, or several and none of them the chooser's.
    /// </summary>
    public static (ScoreRow Row, string Match)? Opponent(ScoreRow row, EvalJob? job, IReadOnlyList<(ScoreRow Row, EvalJob? Job)> vanilla, List<string> notes)
    {
        var sameTask = vanilla.Where(v => v.Row.Cell == row.Cell).ToList();
        var same = sameTask.FirstOrDefault(v => v.Row.Model == row.Model || (job is not null && v.Job is not null && SameCheckpoint(job.Model, v.Job.Model)));
        if (same.Row is not null) return (same.Row, VanillaComparison.SameModel);
        if (sameTask.Count == 1) return (sameTask[0].Row, VanillaComparison.OnlyRow);
        notes.Add(sameTask.Count == 0
            ? $"{row.Cell} × {row.Model}: no vanilla row of {row.Cell} to compare with"
            : $"{row.Cell} × {row.Model}: {sameTask.Count} vanilla rows of {row.Cell} and none of its chooser's model: not compared");
        return null;
    }

    /// <summary>Two models.json entries run the same weights: the same backend, folder, adapter, training experiment and endpoint model.</summary>
    public static bool SameCheckpoint(ModelSpec a, ModelSpec b) =>
        a.Backend == b.Backend && a.Path == b.Path && a.Adapter == b.Adapter && a.Train == b.Train && a.RemoteModel == b.RemoteModel && a.BaseUrl == b.BaseUrl;

    /// <summary>The row's first job as its job file holds it (for a taxonomy row, its options checked and completed when the run was planned); null, with a note, when unreadable.</summary>
    private static EvalJob? FirstJob(ScoreRow row, RunLayout? run, List<string> notes)
    {
        if (run is null || row.JobKeys is not { Count: > 0 } keys) return null;
        try
        {
            return JobFile.Read(run.JobFilePath(keys[0]));
        }
        catch (HierReasonException e)
        {
            notes.Add($"{row.Cell} × {row.Model}: its job file could not be read ({e.Message})");
            return null;
        }
    }
}

/// <summary>
/// One row of the report: (model, strategy, task, level) as the results name it, with the taxonomy options of its jobs;
/// for a taxonomy row, its episodes and its comparison with vanilla.
/// </summary>
/// <param name="Model">The row's model: for a taxonomy row, the chooser.</param>
/// <param name="Taxonomy">The taxonomy the chooser picked from (<c>default</c>, <c>scripted</c> or a file), from the row's first job file; null when unknown.</param>
/// <param name="TaxonomyLevel">The level whose labels were the options.</param>
/// <param name="Reasoner">Who wrote the thoughts: <c>model</c> (a frozen model, <paramref name="ReasonerModel"/>) or <c>scripted</c>.</param>
/// <param name="CiLow">Lower end of the accuracy's 95 % Wilson interval (on the effective n, <see cref="ProportionInterval"/>).</param>
public sealed record TaxonomyRow(
    string Model,
    string Strategy,
    string Task,
    int? Level,
    string Cell,
    string? Taxonomy,
    int? TaxonomyLevel,
    string? Reasoner,
    string? ReasonerModel,
    int N,
    double Accuracy,
    double CiLow,
    double CiHigh,
    TaxonomyEpisodes? Episodes = null,
    VanillaComparison? Against = null)
{
    /// <summary>A row with its accuracy and interval only (a vanilla row).</summary>
    public static TaxonomyRow Scored(ScoreRow row)
    {
        var (low, high) = row.Interval() ?? (0, 1);
        return new TaxonomyRow(row.Model, row.Strategy, row.Task, row.Level, row.Cell, null, null, null, null, row.N, row.Accuracy, low, high);
    }

    /// <summary>A taxonomy row: its options from its first job (<paramref name="job"/>), its episodes from its samples, its paired comparison with <paramref name="opponent"/>.</summary>
    public static TaxonomyRow Of(ScoreRow row, EvalJob? job, ReportedRun run, (ScoreRow Row, string Match)? opponent, List<string> notes)
    {
        if (run.Run is null) notes.Add($"the run folder of {run.Summary.Run.RunId} was not found (pass --run): no episodes for {row.Cell} × {row.Model}");
        var strategy = job?.Strategy;
        var lines = run.Run is null ? [] : HtmlReport.ReadSamples(run.Run, (IReadOnlyList<string>?)row.JobKeys ?? [], notes);
        var episodes = TaxonomyEpisodes.Of(lines.Select(l => TaxonomyEpisode.Of(l.Line)).ToList(), LevelTypes(strategy, row, notes));
        VanillaComparison? against = null;
        if (opponent is { } o)
        {
            if (row.ConfigHash is not null && o.Row.ConfigHash is not null && row.ConfigHash != o.Row.ConfigHash)
                notes.Add($"{row.Cell} × {row.Model}: its question set differs from {o.Row.Model}'s (task config hash): not paired");
            else
            {
                against = VanillaComparison.Of(o.Row.Model, o.Match, ReportedRun.FirstScores(lines), run.ItemScores(o.Row, notes));
                if (against is null) notes.Add($"{row.Cell} × {row.Model}: no item scored by both it and {o.Row.Model}: not paired");
            }
        }
        var options = strategy?.Options;
        return Scored(row) with
        {
            Taxonomy = Text(options?["taxonomy"]),
            TaxonomyLevel = options?["level"] is JsonValue level && level.TryGetValue<int>(out var l) ? l : null,
            Reasoner = Text(options?["reasoner"]),
            ReasonerModel = strategy?.Models?.GetValueOrDefault(StrategyCatalog.ReasonerRole)?.Name,
            Episodes = episodes,
            Against = against,
        };
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The chooser's options but Finish (the level's types), or null when the taxonomy cannot be loaded here.</summary>
    private static IReadOnlyList<ThoughtType>? LevelTypes(StrategySpec? strategy, ScoreRow row, List<string> notes)
    {
        if (strategy is null) return null;
        try
        {
            var options = TaxonomyOptions.From(strategy.Options);
            return options.Load().Level(options.Level);
        }
        catch (HierReasonException e)
        {
            notes.Add($"{row.Cell} × {row.Model}: its taxonomy could not be loaded ({e.Message}); K is the options seen");
            return null;
        }
    }
}

/// <summary>
/// A taxonomy row minus a vanilla row on the items both scored (each item's first sample): the paired difference
/// (<see cref="PairedComparison"/>), its standard error, and whether it is beyond two of them either way.
/// </summary>
/// <param name="Model">The vanilla row's model.</param>
/// <param name="Match"><see cref="SameModel"/> or <see cref="OnlyRow"/>: how that row was picked.</param>
/// <param name="OnlyTaxonomy">Items the taxonomy row got right and vanilla did not.</param>
/// <param name="PValue">McNemar's exact two-sided p on the discordant items.</param>
public sealed record VanillaComparison(string Model, string Match, int Items, double Delta, double StdErr, bool BeyondTwoStdErr, int OnlyTaxonomy, int OnlyVanilla, double PValue)
{
    public const string SameModel = "vanilla run of the chooser's model";
    public const string OnlyRow = "the task's only vanilla row";

    /// <summary>The comparison on the items in both score maps; null when they share none.</summary>
    public static VanillaComparison? Of(string model, string match, IReadOnlyDictionary<string, double> taxonomy, IReadOnlyDictionary<string, double> vanilla)
    {
        var pairs = taxonomy.Where(kv => vanilla.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Value, vanilla[kv.Key])).ToList();
        if (pairs.Count == 0) return null;
        var paired = PairedComparison.Of(pairs);
        return new VanillaComparison(model, match, paired.N, paired.Delta, paired.StdErr, Math.Abs(paired.Delta) > 2 * paired.StdErr,
            paired.OnlyA, paired.OnlyB, paired.PValue);
    }
}
