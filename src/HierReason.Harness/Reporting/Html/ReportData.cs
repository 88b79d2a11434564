using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Runs;

namespace HierReason.Harness.Reporting.Html;

/// <summary>
/// What the HTML report shows, as the page's script reads it (one JSON object embedded in the page): the run, the rows with
/// their intervals and Δ, every sample with its question, gold answer, answer and episode, the charts, and the config.
/// </summary>
public sealed record ReportData(
    string Title,
    string ResultsFile,
    RunMetadata Run,
    string IntervalKind,
    ReportBaselineInfo? Baseline,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<string> Models,
    IReadOnlyList<ReportRow> Rows,
    IReadOnlyList<ReportSample> Samples,
    IReadOnlyDictionary<string, string> Prompts,
    IReadOnlyDictionary<string, string> Charts,
    IReadOnlyList<string> Notes,
    JsonObject? Config);

/// <summary>What the Δ column compares against: another run (paired where the items match) or the approved snapshot.</summary>
public sealed record ReportBaselineInfo(string Kind, string Label);

/// <summary>One summary row as the report shows it: the score row plus its interval, effective n, Δ and sample count.</summary>
public sealed record ReportRow(
    int Index,
    string Cell,
    string Task,
    int? Level,
    string Model,
    string Strategy,
    double Accuracy,
    double CiLow,
    double CiHigh,
    double StdErr,
    int N,
    long? Questions,
    double FormatRate,
    double MeanTokens,
    int Jobs,
    int FailedJobs,
    int? SamplesPerItem,
    double? PassAtK,
    double? MajAtK,
    IReadOnlyList<string> JobKeys,
    int SamplesShown,
    int SamplesTotal,
    ReportDelta? Delta,
    JsonObject? Config);

/// <summary>
/// The row against its baseline: the accuracy difference in points, and with paired items (both runs' samples of the same
/// items, same question set) McNemar's exact test and the paired standard error (<see cref="PairedComparison"/>).
/// </summary>
public sealed record ReportDelta(double BaselineAccuracy, double Points, PairedComparison? Paired, string? Note);

/// <summary>One sample line of a job, self-contained for the page (prompts by hash in <see cref="ReportData.Prompts"/>).</summary>
public sealed record ReportSample(
    int Row,
    string Job,
    string Item,
    int Sample,
    string? Question,
    string? Gold,
    string? Answer,
    double Score,
    bool FormatOk,
    string Finish,
    int Tokens,
    double LatencyMs,
    string PromptHash,
    string Output,
    IReadOnlyList<SegmentRecord>? Segments,
    IReadOnlyDictionary<string, double>? Stats)
{
    /// <summary>The outcome classes the page filters by.</summary>
    public bool Correct => Score >= 1 - 1e-9;
}

/// <summary>JSON for embedding in a page's script element: every &lt;, &gt;, &amp; and quote escaped, so no text closes the element.</summary>
internal static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The default encoder escapes HTML-sensitive characters as \uXXXX: a question holding "</script>" stays inside the JSON.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
