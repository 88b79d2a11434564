using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Reporting.Html;

namespace HierReason.Harness.ProcessRewards;

/// <summary>
/// Issue 22's measurement, read off BenchmarkHierarchical's process section: the benchmark rows of tasks/process/models.json
/// (named by role: <c>sft</c>, <c>sft-maj8</c>, <c>sft-bo8-prm</c>, <c>sft-bo8-orm</c>, <c>dpo</c>, <c>pdpo</c>,
/// <c>step-dpo</c>), compared pairwise on shared items (<see cref="PairedComparison"/>), plus the loop's own files in the
/// work folder: label quality against the oracle per K, the PRM's and ORM's held-out metrics, the pairs' statistics and the
/// DPO runs' before/after diagnostics (copied as their commands wrote them).
/// </summary>
public sealed record ProcessReport(
    int SchemaVersion,
    string RunId,
    string Timestamp,
    IReadOnlyList<ProcessTask> Tasks,
    bool CriterionMet,
    JsonObject Loop)
{
    public const int CurrentSchema = 1;
    public const string JsonName = "process.json";
    public const string MarkdownName = "process.md";

    /// <summary>The roles in table order, with what each row is.</summary>
    public static readonly IReadOnlyList<(string Model, string What)> Roles =
    [
        ("sft", "SFT model, greedy"),
        ("sft-maj8", "majority vote of 8 samples"),
        ("sft-bo8-orm", "best of 8 by an outcome reward model"),
        ("sft-bo8-prm", "best of 8 by the PRM"),
        ("dpo", "DPO on outcome pairs, greedy"),
        ("pdpo", "DPO on PRM-ranked pairs (pDPO), greedy"),
        ("step-dpo", "Step-DPO, greedy"),
    ];

    /// <summary>The comparisons made on each task, (A, B): A − B, paired on items.</summary>
    public static readonly IReadOnlyList<(string A, string B)> Comparisons =
    [
        ("sft-bo8-prm", "sft-maj8"), ("sft-bo8-orm", "sft-maj8"), ("sft-bo8-prm", "sft-bo8-orm"), ("sft-maj8", "sft"),
        ("dpo", "sft"), ("pdpo", "sft"), ("step-dpo", "sft"),
    ];

    /// <summary>The report of <paramref name="run"/>'s role rows and the loop files under <paramref name="workFolder"/>.</summary>
    public static ProcessReport Of(ReportedRun run, string workFolder)
    {
        var summary = run.Summary;
        var roles = Roles.Select(r => r.Model).ToHashSet(StringComparer.Ordinal);
        var rows = summary.Rows.Where(r => r.N > 0 && roles.Contains(r.Model)).ToList();
        if (rows.Count == 0)
            throw new HierReasonException($"run {summary.Run.RunId}: no scored row of a process model ({string.Join(", ", roles)}); the process report reads tasks/process/models.json's names");
        var notes = new List<string>();
        var tasks = rows.Select(r => r.Cell).Distinct().Select(cell =>
        {
            var cellRows = rows.Where(r => r.Cell == cell).ToDictionary(r => r.Model, StringComparer.Ordinal);
            var scores = cellRows.ToDictionary(kv => kv.Key, kv => run.ItemScores(kv.Value, notes), StringComparer.Ordinal);
            var table = Roles.Where(r => cellRows.ContainsKey(r.Model)).Select(r => ProcessRow.Of(cellRows[r.Model], r.What)).ToList();
            var comparisons = Comparisons.Where(c => scores.ContainsKey(c.A) && scores.ContainsKey(c.B))
                .Select(c => ProcessComparison.Of(c.A, c.B, scores[c.A], scores[c.B]))
                .Where(c => c is not null).Select(c => c!).ToList();
            return new ProcessTask(cell, table, comparisons);
        }).ToList();
        var met = tasks.Any(t => t.Comparisons.Any(c => c.A == "sft-bo8-prm" && c.B == "sft-maj8" && c.BeatsByTwoStdErr));
        var loop = LoopFiles(workFolder);
        if (notes.Count > 0) loop["notes"] = new JsonArray(notes.Distinct().Select(n => (JsonNode?)n).ToArray());
        return new ProcessReport(CurrentSchema, summary.Run.RunId, summary.Run.Timestamp, tasks, met, loop);
    }

    /// <summary>The loop's own outputs under <paramref name="folder"/>, as their commands wrote them; a missing one is left out.</summary>
    private static JsonObject LoopFiles(string folder)
    {
        var loop = new JsonObject { ["folder"] = Path.GetFullPath(folder) };
        JsonNode? Read(string path)
        {
            if (!File.Exists(path)) return null;
            try { return JsonNode.Parse(File.ReadAllText(path)); }
            catch (JsonException) { return null; }
        }
        JsonObject Collect(string sub, string pattern, Func<JsonNode, JsonNode?> pick)
        {
            var found = new JsonObject();
            var dir = Path.Combine(folder, sub);
            if (!Directory.Exists(dir)) return found;
            foreach (var file in Directory.EnumerateFiles(dir, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                if (Read(file) is { } node && pick(node) is { } value)
                    found[Path.GetRelativePath(dir, file).Replace('\\', '/')] = value.DeepClone();
            return found;
        }
        loop["label_quality"] = Collect("labels", "*.quality.json", n => n);
        loop["reward_models"] = Collect("reward-models", "training_summary.json", n => new JsonObject
        {
            ["labels"] = n["Labels"]?.DeepClone() ?? n["labels"]?.DeepClone(),
            ["train_trajectories"] = (n["TrainTrajectories"] ?? n["train_trajectories"])?.DeepClone(),
            ["seconds"] = (n["Seconds"] ?? n["seconds"])?.DeepClone(),
            ["held_out_before"] = (n["HeldOutBefore"] ?? n["held_out_before"])?.DeepClone(),
            ["held_out_after"] = (n["HeldOutAfter"] ?? n["held_out_after"])?.DeepClone(),
        });
        loop["pairs"] = Collect("pairs", "*.stats.json", n => n);
        loop["dpo"] = Collect("models", "training_summary.json", n => n);
        return loop;
    }

    /// <summary>Writes process.json and process.md into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(ProcessReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, JsonName);
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(report, HierJson.Indented) + "\n");
        var markdown = Path.Combine(folder, MarkdownName);
        AtomicFile.WriteAllText(markdown, report.Markdown());
        return [json, markdown];
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture);
        md.AppendLine($"# Process rewards (run {RunId}, {Timestamp})").AppendLine();
        foreach (var task in Tasks)
        {
            md.AppendLine($"## {task.Task}").AppendLine();
            md.AppendLine("| row | what | accuracy % [95 % CI] | n | pass@8 % (candidates) |").AppendLine("|---|---|---|---|---|");
            foreach (var r in task.Rows)
                md.AppendLine($"| {r.Model} | {r.What} | {P(r.Accuracy)} [{P(r.CiLow)}, {P(r.CiHigh)}] | {r.N} | {(r.PassAtN is { } p ? P(p) : "")} |");
            md.AppendLine().AppendLine("| comparison | items | Δ points | se | only A / only B | McNemar p | Δ > 2 se |").AppendLine("|---|---|---|---|---|---|---|");
            foreach (var c in task.Comparisons)
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.A} − {c.B} | {c.Items} | {c.Delta * 100:+0.0;-0.0;0.0} | {c.StdErr * 100:0.0} | {c.OnlyA} / {c.OnlyB} | {c.PValue:0.###} | {(c.BeatsByTwoStdErr ? "yes" : "no")} |"));
            md.AppendLine();
        }
        md.AppendLine(CriterionMet
            ? "**Criterion met:** PRM best-of-8 beats majority@8 by more than 2 standard errors (paired) on at least one task."
            : "**Criterion not met:** on no task does PRM best-of-8 beat majority@8 by more than 2 standard errors (paired); see the label quality and the PRM's held-out metrics in process.json for why.");
        md.AppendLine().AppendLine("Label quality per K, reward-model held-out metrics, pair statistics and DPO diagnostics: process.json (`loop`).");
        return md.ToString();
    }
}

/// <summary>One task's rows and comparisons.</summary>
public sealed record ProcessTask(string Task, IReadOnlyList<ProcessRow> Rows, IReadOnlyList<ProcessComparison> Comparisons);

/// <summary>A row: accuracy with its 95 % Wilson interval, n, and for a selection row the share of items some candidate got right.</summary>
public sealed record ProcessRow(string Model, string What, double Accuracy, double CiLow, double CiHigh, int N, double? PassAtN)
{
    public static ProcessRow Of(ScoreRow row, string what)
    {
        var (low, high) = row.Interval() ?? (0, 0);
        return new ProcessRow(row.Model, what, row.Accuracy, low, high, row.N, row.Stats?.Mean("pass_at_n"));
    }
}

/// <summary>A − B on the items both scored: the paired difference, its standard error, the discordant counts and McNemar's p.</summary>
public sealed record ProcessComparison(string A, string B, int Items, double Delta, double StdErr, int OnlyA, int OnlyB, double PValue)
{
    /// <summary>A beats B by more than two paired standard errors (the issue's bar for PRM best-of-8 over majority@8).</summary>
    public bool BeatsByTwoStdErr => Delta > 2 * StdErr && Delta > 0;

    public static ProcessComparison? Of(string a, string b, IReadOnlyDictionary<string, double> scoresA, IReadOnlyDictionary<string, double> scoresB)
    {
        var pairs = scoresA.Where(kv => scoresB.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Value, scoresB[kv.Key])).ToList();
        if (pairs.Count == 0) return null;
        var paired = PairedComparison.Of(pairs);
        return new ProcessComparison(a, b, paired.N, paired.Delta, paired.StdErr, paired.OnlyA, paired.OnlyB, paired.PValue);
    }
}
