using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Aggregation;

namespace HierReason.Harness.Reporting.Html;

/// <summary>A run to report on: its summary, the file it came from and the run folder holding its samples (null when not found).</summary>
public sealed record ReportedRun(string ResultsPath, BenchmarkSummary Summary, RunLayout? Run)
{
    /// <summary>
    /// The results (a results_all_tasks file or a folder: its newest one) and their run folder: <paramref name="runFolder"/>
    /// when given, else <c>runs/&lt;run_id&gt;</c> beside the results folder, else <c>artifacts/runs/&lt;run_id&gt;</c> under the working directory.
    /// </summary>
    public static ReportedRun Load(string resultsPathOrFolder, string? runFolder = null)
    {
        var path = ResultsFile.ResolveSummaryPath(resultsPathOrFolder);
        var summary = ResultsFile.LoadSummary(path);
        if (runFolder is not null)
        {
            var given = RunLayout.At(runFolder);
            if (!File.Exists(given.RunFile)) throw new HierReasonException($"{runFolder}: not a run folder (no {RunLayout.RunFileName}); --run names the artifacts/runs/<run_id> folder of the results");
            return new ReportedRun(path, summary, given);
        }
        var resultsFolder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var candidates = new[]
        {
            Path.Combine(resultsFolder, "..", "runs", summary.Run.RunId),
            Path.Combine("artifacts", "runs", summary.Run.RunId),
        };
        var found = candidates.Select(RunLayout.At).FirstOrDefault(r => File.Exists(r.RunFile));
        return new ReportedRun(path, summary, found);
    }

    /// <summary>
    /// Each item's first sample's score (selection rows keep one line per item), by item id: what paired comparisons
    /// (<see cref="PairedComparison"/>) match on. Empty, with a note, when the run folder was not found.
    /// </summary>
    public Dictionary<string, double> ItemScores(ScoreRow row, List<string> notes)
    {
        if (Run is null)
        {
            notes.Add($"the run folder of {Summary.Run.RunId} was not found: no paired comparisons");
            return [];
        }
        return FirstScores(HtmlReport.ReadSamples(Run, (IReadOnlyList<string>?)row.JobKeys ?? [], notes));
    }

    /// <summary>Each item's first sample's score among sample lines, by item id.</summary>
    public static Dictionary<string, double> FirstScores(IEnumerable<(string Key, SampleRecord Line)> lines) =>
        lines.Where(l => (l.Line.Sample ?? 0) == 0)
            .GroupBy(l => l.Line.ItemId)
            .ToDictionary(g => g.Key, g => g.First().Line.Score, StringComparer.Ordinal);
}

/// <summary>
/// Builds and writes <c>hierreason report</c>'s static page: a summary matrix (task × model × strategy) with 95 % intervals
/// and Δ against a baseline run (paired on shared items) or the approved snapshot, per task its chart and every sample —
/// question, gold, answer, score, finish reason, and the whole episode — filterable and searchable, and the run's config,
/// commit, machine and versions. The page needs no network: data, style, script and charts are inside the one file.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "index.html";

    /// <summary>Samples kept per row by default; a row with more says how many were left out.</summary>
    public const int DefaultMaxSamplesPerRow = 2000;

    public static ReportData Build(ReportedRun run, ReportedRun? baseline = null, ApprovedSnapshot? approved = null, string? approvedPath = null,
        int maxSamplesPerRow = DefaultMaxSamplesPerRow)
    {
        if (maxSamplesPerRow < 0) throw new HierReasonException($"--max-samples: expected a count ≥ 0; found {maxSamplesPerRow}");
        var summary = run.Summary;
        var notes = new List<string>();
        if (run.Run is null)
            notes.Add($"The run folder of {summary.Run.RunId} was not found (looked beside the results and under artifacts/runs; pass --run): the report has no samples.");
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<ReportSample>();
        var rows = new List<ReportRow>();
        var baselineRows = baseline?.Summary.Rows.ToDictionary(r => (r.Cell, r.Model, r.Strategy));
        var approvedRows = approved?.Rows.ToDictionary(r => (r.Cell, r.Model, r.Strategy));
        foreach (var (row, index) in summary.Rows.Select((r, i) => (r, i)))
        {
            var keys = (IReadOnlyList<string>?)row.JobKeys ?? [];
            var lines = run.Run is null ? [] : ReadSamples(run.Run, keys, notes);
            var shown = lines.Take(maxSamplesPerRow).ToList();
            foreach (var (key, line) in shown)
            {
                if (line.Prompt is not null) prompts.TryAdd(line.PromptHash, line.Prompt);
                samples.Add(new ReportSample(index, key, line.ItemId, line.Sample ?? 0, line.Question, line.Gold, line.Extracted, line.Score, line.FormatOk,
                    line.FinishReason, line.Tokens, line.LatencyMs, line.PromptHash, line.Completion, line.Segments, line.Stats));
            }
            if (lines.Count > 0 && lines.All(l => l.Line.Question is null))
                notes.Add($"{row.Cell} × {row.Model}: its sample lines predate questions and gold answers in the samples format; rerun the benchmark to see them.");
            var interval = row.CiLow is { } low && row.CiHigh is { } high
                ? new ProportionInterval(low, high, 0)
                : ProportionInterval.Of(row.Accuracy, row.StdErr, row.N, row.Questions);
            var delta = Delta(row, lines, baseline, baselineRows, approvedRows, approvedPath);
            rows.Add(new ReportRow(index, row.Cell, row.Task, row.Level, row.Model, row.Strategy, row.Accuracy, interval.Low, interval.High, row.StdErr, row.N,
                row.Questions, row.FormatRate, row.MeanTokens, row.Jobs, row.FailedJobs, row.SamplesPerItem, row.PassAtK, row.MajAtK, keys,
                shown.Count, lines.Count, delta, run.Run is null || keys.Count == 0 ? null : JobConfig(run.Run, keys[0])));
            if (row.Questions is { } q && q < row.N)
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Cell} × {row.Model}: n = {row.N} samples of only {q} distinct questions; its interval uses the effective n, not {row.N}."));
        }

        var charts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in ResultAggregator.TaskNames(summary))
            charts[task] = "data:image/png;base64," + Convert.ToBase64String(ChartRenderer.RenderPng(ChartBuilder.Comparison(ResultAggregator.ForTask(summary, task))));
        if (summary.Rows.Count > 0)
            charts[""] = "data:image/png;base64," + Convert.ToBase64String(ChartRenderer.RenderPng(ChartBuilder.Summary(summary)));

        var baselineInfo = baseline is not null ? new ReportBaselineInfo("run", $"{Path.GetFileName(baseline.ResultsPath)} (commit {Short(baseline.Summary.Run.GitCommit)})")
            : approved is not null ? new ReportBaselineInfo("approved", approvedPath ?? "approved snapshot")
            : null;
        return new ReportData($"HierReason benchmark {summary.Run.RunId}", Path.GetFileName(run.ResultsPath), summary.Run, ProportionInterval.Kind, baselineInfo,
            summary.Tasks, summary.Models, rows, samples, prompts, charts, notes.Distinct().ToList(), RunConfig(run.Run));
    }

    /// <summary>Writes the page into <paramref name="outFolder"/> (created) atomically; returns its path.</summary>
    public static string Write(ReportData data, string outFolder)
    {
        Directory.CreateDirectory(outFolder);
        var path = Path.Combine(outFolder, FileName);
        AtomicFile.WriteAllText(path, Render(data));
        return path;
    }

    /// <summary>The page: the embedded template with the data in its JSON script element.</summary>
    public static string Render(ReportData data)
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("HierReason.Harness.Reporting.Html.report.html")
            ?? throw new InvalidOperationException("the report template is not embedded in HierReason.Harness");
        using var reader = new StreamReader(stream);
        var template = reader.ReadToEnd();
        const string marker = "\"__HIERREASON_REPORT_DATA__\"";
        if (!template.Contains(marker, StringComparison.Ordinal)) throw new InvalidOperationException("the report template has no data marker");
        return template.Replace(marker, ReportJson.Serialize(data), StringComparison.Ordinal)
            .Replace("__HIERREASON_TITLE__", System.Net.WebUtility.HtmlEncode(data.Title), StringComparison.Ordinal);
    }

    private static ReportDelta? Delta(ScoreRow row, IReadOnlyList<(string Key, SampleRecord Line)> lines, ReportedRun? baseline,
        Dictionary<(string, string, string), ScoreRow>? baselineRows, Dictionary<(string, string, string), ApprovedRow>? approvedRows, string? approvedPath)
    {
        var id = (row.Cell, row.Model, row.Strategy);
        if (baseline is not null && baselineRows is not null)
        {
            if (!baselineRows.TryGetValue(id, out var b)) return null;
            var points = (row.Accuracy - b.Accuracy) * 100;
            if (row.ConfigHash is not null && b.ConfigHash is not null && row.ConfigHash != b.ConfigHash)
                return new ReportDelta(b.Accuracy, points, null, "different question set (task config hash differs): not paired");
            if (baseline.Run is null || lines.Count == 0) return new ReportDelta(b.Accuracy, points, null, "unpaired: samples of one run are missing");
            var theirs = ReportedRun.FirstScores(ReadSamples(baseline.Run, (IReadOnlyList<string>?)b.JobKeys ?? [], []));
            var pairs = lines.Where(l => (l.Line.Sample ?? 0) == 0 && theirs.ContainsKey(l.Line.ItemId)).Select(l => (l.Line.Score, theirs[l.Line.ItemId])).ToList();
            return pairs.Count == 0
                ? new ReportDelta(b.Accuracy, points, null, "unpaired: the runs share no item")
                : new ReportDelta(b.Accuracy, points, PairedComparison.Of(pairs), null);
        }
        if (approvedRows is not null && approvedRows.TryGetValue(id, out var a))
            return new ReportDelta(a.Accuracy, (row.Accuracy - a.Accuracy) * 100, null, $"against {approvedPath ?? "the approved snapshot"} (no samples to pair)");
        return null;
    }

    /// <summary>The sample lines of the jobs, in job order; an unreadable line or file becomes a note, not a failure of the report.</summary>
    public static List<(string Key, SampleRecord Line)> ReadSamples(RunLayout run, IReadOnlyList<string> keys, List<string> notes)
    {
        var lines = new List<(string, SampleRecord)>();
        foreach (var key in keys)
        {
            var path = run.SamplesPath(key);
            if (!File.Exists(path))
            {
                notes.Add($"{path}: no samples file (the job failed or keeps none)");
                continue;
            }
            var number = 0;
            foreach (var text in File.ReadLines(path))
            {
                number++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                try
                {
                    if (JsonSerializer.Deserialize<SampleRecord>(text, HierJson.Options) is { } line) lines.Add((key, line));
                }
                catch (JsonException e)
                {
                    notes.Add($"{path}:{number}: not a sample line ({e.Message}); the rest of the file was skipped");
                    break;
                }
            }
        }
        return lines;
    }

    /// <summary>The job file of a row's first job (task config, model, generation settings, strategy) as written.</summary>
    private static JsonObject? JobConfig(RunLayout run, string key)
    {
        var path = run.JobFilePath(key);
        if (!File.Exists(path)) return null;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject job) return null;
            // Paths of this machine say nothing to a reader elsewhere.
            job.Remove("result_path");
            job.Remove("samples_path");
            return job;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject? RunConfig(RunLayout? run)
    {
        if (run is null || !File.Exists(run.RunFile)) return null;
        try { return JsonNode.Parse(File.ReadAllText(run.RunFile)) as JsonObject; }
        catch (JsonException) { return null; }
    }

    private static string Short(string? commit) => commit is null ? "unknown" : commit[..Math.Min(7, commit.Length)];
}
