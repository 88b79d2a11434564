using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// The result of one <see cref="EvalJob"/> (<c>jobs/&lt;key&gt;.json</c>): accuracy and its standard error over the job's
/// items (clustered by question, see <see cref="QuestionSums"/>), plus the sums aggregation pools over seeds. A failed job carries its error and no scores.
/// With k = <see cref="GenerationSpec.Samples"/> &gt; 1 samples per item, the accuracy figures (accuracy, standard error,
/// sums, questions, the answer diagnostics) are those of each item's first sample (sample 0) — the greedy answer at
/// temperature 0, where every sample is the greedy one — so they read as a one-sample run would; pass@k, maj@k and the mean
/// one-sample accuracy come beside them, and format rate, mean tokens and tokens/s count every sample.
/// </summary>
/// <param name="Status">"succeeded" or "failed".</param>
/// <param name="N">Items scored (each with <see cref="SamplesPerItem"/> samples).</param>
/// <param name="ScoreSum">Σ score over the items (their first sample).</param>
/// <param name="ScoreSquareSum">Σ score² over the items (pooled standard errors need it).</param>
/// <param name="FormatRate">Fraction of completions (every sample) with a well-formed <c>&lt;answer&gt;</c>.</param>
/// <param name="TokensPerSecond">Completion tokens per second of generation.</param>
/// <param name="Questions">Distinct questions among the samples (a small question space repeats them); null in results
/// written before this field existed, which are read as all distinct.</param>
/// <param name="QuestionSquareSum">Σ over questions of (the question's score sum)² (<see cref="QuestionSums"/>).</param>
/// <param name="QuestionCrossSum">Σ over questions of score sum × item count.</param>
/// <param name="QuestionSizeSquareSum">Σ over questions of item count².</param>
/// <param name="Strategy">The strategy the job ran (<c>vanilla</c> unless a models.json composite says otherwise).</param>
/// <param name="SamplesPerItem">k, models.json's <c>generation.n</c>; null (read as 1) for one sample per item.</param>
/// <param name="PassAtK">With k &gt; 1: the share of items some sample got right (<see cref="SampledResult"/>).</param>
/// <param name="MajAtK">With k &gt; 1: the share of items whose most common answer is right.</param>
/// <param name="SampleAccuracy">With k &gt; 1: the mean score over every sample.</param>
/// <param name="DistinctAnswers">Distinct answers the items got (a missing answer counts as one more); null in results written before the diagnostics existed.</param>
/// <param name="GoldDistinctAnswers">Distinct gold answers among the items.</param>
/// <param name="TopAnswerShare">The share of items that got the model's most common answer.</param>
/// <param name="ConstantAnswerAccuracy">The accuracy of giving the items' most common gold answer to every item, by the task's verifier.</param>
/// <param name="Stats">The means of the strategy's episode statistics over the items' first samples (<see cref="EpisodeStats"/>); absent for strategies that record none.</param>
/// <param name="Level">The tasks.json entry's <c>level</c>, when it set one: results of different levels are different rows.</param>
/// <param name="ConfigHash">The task's question set (<see cref="TaskConfigHash"/>); null in results written before it existed.</param>
/// <param name="CheckpointHash">The model's checkpoint hash (models.json's folder and adapter; "remote" for endpoints); null
/// for a model the pipeline trains (models.json <c>train</c>), whose weights are the product under test (<see cref="ModelSpec.FixedCheckpointHash"/>).</param>
/// <param name="PassAt">With k &gt; 1: the unbiased pass@j for j = 1, 2, 4, … k, averaged over items (<see cref="PassAtEstimator"/>);
/// absent in results written before it existed.</param>
/// <param name="Answers">The tally behind the four diagnostics, which cells pool over their seeds (<see cref="AnswerTally.Add"/>).</param>
public sealed record JobResult(
    string Key,
    string Status,
    string Task,
    string Model,
    string Split,
    long Seed,
    int N,
    double Accuracy,
    double StdErr,
    double ScoreSum,
    double ScoreSquareSum,
    double FormatRate,
    double MeanTokens,
    double TokensPerSecond,
    double WallSeconds,
    string Device,
    DateTimeOffset FinishedAt,
    string? Error = null,
    long? Questions = null,
    double? QuestionSquareSum = null,
    double? QuestionCrossSum = null,
    double? QuestionSizeSquareSum = null,
    string Strategy = Episodes.EpisodeStrategy.VanillaName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SamplesPerItem = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PassAtK = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MajAtK = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SampleAccuracy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DistinctAnswers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? GoldDistinctAnswers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TopAnswerShare = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ConstantAnswerAccuracy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AnswerTally? Answers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EpisodeStats? Stats = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Level = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfigHash = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CheckpointHash = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ValueMap<int, double>? PassAt = null)
{
    /// <summary>The summary column the job belongs to (<see cref="TaskCell"/>).</summary>
    [JsonIgnore]
    public string Cell => TaskCell.Label(Task, Level);

    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    [JsonIgnore]
    public bool IsSuccess => Status == Succeeded;

    /// <summary>The accuracy's 95 % Wilson interval on the job's effective n (<see cref="ProportionInterval"/>).</summary>
    public ProportionInterval Interval() => ProportionInterval.Of(Accuracy, StdErr, N, Questions);

    /// <summary>The sums that pool this job's samples, clustered by question (all distinct when the result predates clustering).</summary>
    public QuestionSums Sums() => Questions is { } c && QuestionSquareSum is { } sq && QuestionCrossSum is { } cross && QuestionSizeSquareSum is { } sizes
        ? new QuestionSums(N, c, ScoreSum, sq, cross, sizes)
        : QuestionSums.Distinct(N, ScoreSum, ScoreSquareSum);

    /// <summary>A failed job's record: no scores, the error that ended its last attempt.</summary>
    public static JobResult FailedWith(EvalJob job, string error, double wallSeconds) =>
        new(job.Key, Failed, job.Task, job.Model.Name, job.Split, job.Seed, 0, 0, 0, 0, 0, 0, 0, 0, wallSeconds, job.Device, DateTimeOffset.UtcNow, error,
            Strategy: job.StrategyName, Level: job.Level, ConfigHash: TaskConfigHash.Of(job.Task, job.Config, job.Level), CheckpointHash: job.Model.FixedCheckpointHash);
}

/// <summary>
/// One sample of an evaluated item: a line of <c>jobs/&lt;key&gt;.jsonl</c>. With k samples per item the lines are item-major
/// (item 0's samples 0 … k − 1 first) and each carries its <paramref name="Sample"/> index; with one, the index is left out.
/// A line is self-contained: the question, the gold answer, the task level and config hash come with it, and the rendered
/// prompt with the first line of each distinct <paramref name="PromptHash"/> in the job (later lines with that hash repeat
/// only the hash). Lines written before these fields existed lack them.
/// </summary>
/// <param name="LatencyMs">This sample's own time: from the start of its batch until its episode ended (a row that stops
/// early in a batched decode finishes early); with a remote backend the round's start plus its request's own time.</param>
/// <param name="Question">The item's question.</param>
/// <param name="Gold">The item's gold answer.</param>
/// <param name="Prompt">The prompt as rendered for the model (chat template included), on the first line with its hash.</param>
/// <param name="Level">The task level the item was generated at, when tasks.json set one.</param>
/// <param name="ConfigHash">The task's question set (<see cref="TaskConfigHash"/>).</param>
public sealed record SampleRecord(
    string ItemId,
    string PromptHash,
    string Completion,
    string? Extracted,
    double Score,
    bool FormatOk,
    int Tokens,
    double LatencyMs,
    string FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SegmentRecord>? Segments = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Stats = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Sample = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Question = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Gold = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Prompt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Level = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfigHash = null);

/// <summary>
/// One segment of a sample's episode, as the sample log keeps it: who wrote it, the text, and what the environment kept
/// beside it (a searcher's trajectory and retrieved doc ids, a worker's sub-answers; absent when none).
/// </summary>
public sealed record SegmentRecord(
    string Actor,
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Metadata = null);
