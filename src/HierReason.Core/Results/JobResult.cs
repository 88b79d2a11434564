using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// The result of one <see cref="EvalJob"/> (<c>jobs/&lt;key&gt;.json</c>): accuracy and its standard error over the job's
/// samples (clustered by question, see <see cref="QuestionSums"/>), plus the sums aggregation pools over seeds. A failed job carries its error and no scores.
/// </summary>
/// <param name="Status">"succeeded" or "failed".</param>
/// <param name="ScoreSum">Σ score over the samples.</param>
/// <param name="ScoreSquareSum">Σ score² over the samples (pooled standard errors need it).</param>
/// <param name="FormatRate">Fraction of completions with a well-formed <c>&lt;answer&gt;</c>.</param>
/// <param name="TokensPerSecond">Completion tokens per second of generation.</param>
/// <param name="Questions">Distinct questions among the samples (a small question space repeats them); null in results
/// written before this field existed, which are read as all distinct.</param>
/// <param name="QuestionSquareSum">Σ over questions of (the question's score sum)² (<see cref="QuestionSums"/>).</param>
/// <param name="QuestionCrossSum">Σ over questions of score sum × item count.</param>
/// <param name="QuestionSizeSquareSum">Σ over questions of item count².</param>
/// <param name="Strategy">The strategy the job ran (<c>vanilla</c> unless a models.json composite says otherwise).</param>
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
    string Strategy = Episodes.EpisodeStrategy.VanillaName)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    [JsonIgnore]
    public bool IsSuccess => Status == Succeeded;

    /// <summary>The sums that pool this job's samples, clustered by question (all distinct when the result predates clustering).</summary>
    public QuestionSums Sums() => Questions is { } c && QuestionSquareSum is { } sq && QuestionCrossSum is { } cross && QuestionSizeSquareSum is { } sizes
        ? new QuestionSums(N, c, ScoreSum, sq, cross, sizes)
        : QuestionSums.Distinct(N, ScoreSum, ScoreSquareSum);

    /// <summary>A failed job's record: no scores, the error that ended its last attempt.</summary>
    public static JobResult FailedWith(EvalJob job, string error, double wallSeconds) =>
        new(job.Key, Failed, job.Task, job.Model.Name, job.Split, job.Seed, 0, 0, 0, 0, 0, 0, 0, 0, wallSeconds, job.Device, DateTimeOffset.UtcNow, error,
            Strategy: job.StrategyName);
}

/// <summary>One evaluated item: a line of <c>jobs/&lt;key&gt;.jsonl</c>.</summary>
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Stats = null);

/// <summary>One segment of a sample's episode, as the sample log keeps it: who wrote it, and the text.</summary>
public sealed record SegmentRecord(string Actor, string Text);
