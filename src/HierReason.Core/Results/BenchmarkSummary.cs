using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// <c>results_all_tasks_&lt;ts&gt;.json</c>: one row per task × model (each row naming the model's strategy), each model's
/// average over tasks, and the run's metadata.
/// Accuracies are fractions in [0, 1]; reports show them as percentages.
/// </summary>
/// <param name="SchemaVersion">Bumped when a field changes meaning; readers reject versions they do not know.</param>
/// <param name="Run">Where, when and with what the run happened.</param>
/// <param name="Tasks">The task columns in the order of tasks.json: task names, with the level when an entry set one (<see cref="TaskCell"/>).</param>
/// <param name="Models">Model names in the order of models.json.</param>
/// <param name="Rows">One per task × model that was scheduled (failed jobs included, flagged).</param>
/// <param name="Averages">Per model: the unweighted mean of its task accuracies.</param>
public sealed record BenchmarkSummary(
    int SchemaVersion,
    RunMetadata Run,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<string> Models,
    IReadOnlyList<ScoreRow> Rows,
    IReadOnlyList<ModelAverage> Averages)
{
    public const int CurrentSchema = 1;
}

/// <summary>
/// <c>results_&lt;task&gt;_&lt;ts&gt;.json</c>: one task, every model.
/// </summary>
public sealed record TaskResults(int SchemaVersion, RunMetadata Run, string Task, IReadOnlyList<ScoreRow> Rows);

/// <summary>
/// One task × model cell, pooled over the task's seeds. With k samples per item (models.json's <c>generation.n</c>) the
/// accuracy, its standard error, N, the questions and the answer diagnostics are those of each item's first sample (see
/// <see cref="JobResult"/>); pass@k, maj@k and the one-sample accuracy come beside them. Fields after
/// <paramref name="Strategy"/> are absent in files written before they existed, and the sampled ones when k is 1.
/// </summary>
/// <param name="Accuracy">Mean score in [0, 1] over all items (their first sample).</param>
/// <param name="StdErr">Standard error of that mean, clustered by question (<see cref="QuestionSums"/>): the sample std with
/// Bessel's correction ÷ √n when every question is distinct, larger when a small question space repeats them; 0 with fewer than two questions.</param>
/// <param name="N">Items scored (with k samples per item, each item's first sample).</param>
/// <param name="FormatRate">Fraction of completions with a well-formed <c>&lt;answer&gt;</c>.</param>
/// <param name="MeanTokens">Mean completion tokens.</param>
/// <param name="Jobs">Jobs that make up the cell; <paramref name="FailedJobs"/> of them failed (their samples are absent).</param>
/// <param name="Questions">Distinct questions among the samples (per seed, summed over seeds); below <paramref name="N"/> when questions repeat.</param>
/// <param name="Strategy">How the model ran (<c>vanilla</c>, <c>calculator</c>, …): (task, model, strategy) is the row.</param>
/// <param name="SamplesPerItem">k, when more than one.</param>
/// <param name="PassAtK">Pooled over seeds as an item-weighted mean (each job's share of items some sample got right).</param>
/// <param name="MajAtK">Item-weighted mean of the jobs' maj@k.</param>
/// <param name="SampleAccuracy">Item-weighted mean of the jobs' mean one-sample accuracy.</param>
/// <param name="DistinctAnswers">Distinct answers over the union of the cell's items (<see cref="AnswerTally.Add"/>); absent
/// when some succeeded job of the cell has no tally (written before the diagnostics existed).</param>
/// <param name="GoldDistinctAnswers">Distinct gold answers over the union of the cell's items.</param>
/// <param name="TopAnswerShare">The share of the cell's items that got the model's most common answer.</param>
/// <param name="ConstantAnswerAccuracy">The accuracy, over the cell's items, of always giving the most common gold answer of
/// the union (not each seed's own), by the task's verifier.</param>
/// <param name="Level">The tasks.json entry's <c>level</c>, when it set one; (task, level, model, strategy) is then the row.</param>
/// <param name="Stats">The strategy's episode statistics, item-weighted means over the cell's jobs (<see cref="EpisodeStats.Pool"/>);
/// absent for strategies that record none.</param>
/// <param name="CiLow">Lower end of the accuracy's 95 % Wilson interval on the effective n (<see cref="ProportionInterval"/>);
/// absent in files written before it existed and for cells without scored items.</param>
/// <param name="CiHigh">Upper end of that interval.</param>
/// <param name="Split">The split the cell's items came from (test unless tasks.json says otherwise).</param>
/// <param name="ConfigHash">The cell's question set (<see cref="TaskConfigHash"/>): equal hashes, split and n mean the same items.</param>
/// <param name="CheckpointHash">The model checkpoint the cell scored (models.json folder and adapter; "remote" for endpoints).</param>
/// <param name="PassAt">The unbiased pass@j for j = 1, 2, 4, … k (<see cref="PassAtEstimator"/>), an item-weighted mean over
/// the cell's jobs like <paramref name="PassAtK"/>; absent when k is 1 or some job's result predates it. Its pass@k counts only
/// full-score samples as right, so with partial credit it can fall below <paramref name="PassAtK"/> (the best score).</param>
/// <param name="JobKeys">The keys of the cell's jobs (their files are <c>jobs/&lt;key&gt;.json</c> and <c>.jsonl</c> in the run folder).</param>
public sealed record ScoreRow(
    string Task,
    string Model,
    double Accuracy,
    double StdErr,
    int N,
    double FormatRate,
    double MeanTokens,
    int Jobs,
    int FailedJobs,
    long? Questions = null,
    string Strategy = Episodes.EpisodeStrategy.VanillaName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SamplesPerItem = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PassAtK = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MajAtK = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SampleAccuracy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DistinctAnswers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? GoldDistinctAnswers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TopAnswerShare = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ConstantAnswerAccuracy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EpisodeStats? Stats = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Level = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CiLow = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CiHigh = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Split = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfigHash = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CheckpointHash = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ValueList<string>? JobKeys = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ValueMap<int, double>? PassAt = null)
{
    /// <summary>The summary column of the row: its task, and its level when tasks.json set one (<see cref="TaskCell"/>).</summary>
    [JsonIgnore]
    public string Cell => TaskCell.Label(Task, Level);

    /// <summary>
    /// The accuracy's 95 % Wilson interval on the effective n: the stored one, or for a row from a file written before rows
    /// carried it, the same computed from its accuracy, standard error, n and distinct questions. Null without scored items.
    /// </summary>
    public (double Low, double High)? Interval()
    {
        if (N <= 0) return null;
        if (CiLow is { } low && CiHigh is { } high) return (low, high);
        var computed = ProportionInterval.Of(Accuracy, StdErr, N, Questions);
        return (computed.Low, computed.High);
    }

    /// <summary>The effective sample size behind the interval (<see cref="ProportionInterval.EffectiveN"/>); 0 without scored items.</summary>
    [JsonIgnore]
    public double EffectiveN => N <= 0 ? 0 : ProportionInterval.Of(Accuracy, StdErr, N, Questions).EffectiveN;

    /// <summary>Whether the row's items repeat questions (fewer distinct questions than items), so n overstates the evidence.</summary>
    [JsonIgnore]
    public bool RepeatsQuestions => N > 0 && Questions is { } q && q < N;
}

/// <summary>A model's accuracy averaged over tasks (unweighted); its standard error is √(Σ seᵢ²) ÷ k.</summary>
/// <param name="Tasks">The tasks the average covers (k): those with scored samples.</param>
/// <param name="Missing">The run's tasks it does not cover (every job failed, or none ran), so it is not comparable with a
/// complete average; absent when it covers them all.</param>
public sealed record ModelAverage(
    string Model,
    double Accuracy,
    double StdErr,
    int Tasks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Missing = null,
    string Strategy = Episodes.EpisodeStrategy.VanillaName)
{
    // By value, Missing included, so a summary read back from its file equals the one written.
    public bool Equals(ModelAverage? other) =>
        other is not null && Model == other.Model && Accuracy.Equals(other.Accuracy) && StdErr.Equals(other.StdErr) && Tasks == other.Tasks
        && (Missing ?? []).SequenceEqual(other.Missing ?? []) && Strategy == other.Strategy;

    public override int GetHashCode() => HashCode.Combine(Model, Accuracy, StdErr, Tasks, Missing?.Count ?? 0, Strategy);
}

/// <summary>The facts that make a result reproducible and comparable.</summary>
/// <param name="RunId">The run's folder name under artifacts/runs.</param>
/// <param name="Timestamp">The <c>&lt;ts&gt;</c> of the file names: UTC, <c>yyyyMMdd-HHmmss</c>.</param>
/// <param name="GitCommit">HEAD of the repository the run came from; null outside a git checkout.</param>
/// <param name="Machine">OS, CPU model and core count, memory.</param>
/// <param name="Devices">Devices the jobs ran on: "cpu:0", "cuda:1", …</param>
/// <param name="Packages">Versions that change results: HierReason, TorchSharp, .NET runtime.</param>
/// <param name="WallSeconds">From the first job started to the last finished.</param>
public sealed record RunMetadata(
    string RunId,
    string Timestamp,
    DateTimeOffset StartedAt,
    double WallSeconds,
    string? GitCommit,
    string Machine,
    IReadOnlyList<string> Devices,
    IReadOnlyDictionary<string, string> Packages);
