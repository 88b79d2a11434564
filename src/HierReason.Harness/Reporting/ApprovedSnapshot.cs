using System.Text.Json;
using System.Text.Json.Serialization;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Harness.Reporting;

/// <summary>
/// The approved benchmark snapshot (<c>tests/approved/benchmark.approved.json</c>): per task × model only the numbers that
/// verification compares, with no timestamp or machine, so it is small and diffs cleanly in review.
/// </summary>
/// <param name="SchemaVersion">Bumped when a field changes meaning.</param>
/// <param name="Rows">In the summary's order (tasks, then models within a task).</param>
public sealed record ApprovedSnapshot(int SchemaVersion, IReadOnlyList<ApprovedRow> Rows)
{
    public const int CurrentSchema = 1;

    /// <summary>Where the default benchmark's snapshot lives, relative to the repository root.</summary>
    public const string DefaultPath = "tests/approved/benchmark.approved.json";

    // Six decimals of a fraction is far below any tolerance and keeps the file free of float noise.
    private const int Decimals = 6;

    public static ApprovedSnapshot From(BenchmarkSummary summary) => new(CurrentSchema,
        summary.Rows.Select(r => new ApprovedRow(r.Task, r.Model, Math.Round(r.Accuracy, Decimals), Math.Round(r.StdErr, Decimals), r.N, r.Strategy, r.Level,
            r.Split, r.ConfigHash, r.CheckpointHash)).ToList());

    public string ToJson() => JsonSerializer.Serialize(this, HierJson.Indented) + "\n";

    /// <summary>Writes the snapshot atomically, creating its folder.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>
    /// Reads a snapshot: the reduced schema above, or a whole <c>results_all_tasks</c> file (then its rows are used).
    /// </summary>
    /// <exception cref="ConfigException">Missing file, bad JSON, unknown schema version, impossible values.</exception>
    public static ApprovedSnapshot Load(string path)
    {
        var root = ResultsFile.ReadObject(path, "an approved snapshot {\"schema_version\": 1, \"rows\": [{task, model, accuracy, stderr, n}, …]}");
        if (root.ContainsKey("run") || root.ContainsKey("averages"))
            return From(ResultsFile.LoadSummary(path));
        ResultsFile.CheckSchema(path, root, CurrentSchema);
        // "std_err" is the snapshot's old spelling of "stderr" (lm-evaluation-harness's): still read for one release.
        if (root["rows"] is System.Text.Json.Nodes.JsonArray rows)
            for (var i = 0; i < rows.Count; i++)
                if (rows[i] is System.Text.Json.Nodes.JsonObject row)
                    Core.Configs.ConfigDeprecation.Alias(row, "std_err", "stderr", path, $"$.rows[{i}]");
        var snapshot = ResultsFile.Deserialize<ApprovedSnapshot>(path, root, "an approved snapshot (schema_version, rows)");
        ResultsFile.RequireList(path, "$.rows", snapshot.Rows);
        var seen = new HashSet<(string, string, string)>();
        // (a level, when set, is part of the task column: see TaskCell)
        for (var i = 0; i < snapshot.Rows.Count; i++)
        {
            var r = snapshot.Rows[i];
            var at = $"$.rows[{i}]";
            if (r is null) throw new ConfigException(path, at, "a row {task, model, accuracy, stderr, n}", "null");
            ResultsFile.RequireName(path, at + ".task", r.Task);
            ResultsFile.RequireName(path, at + ".model", r.Model);
            ResultsFile.CheckFraction(path, at + ".accuracy", r.Accuracy);
            ResultsFile.CheckStdErr(path, at + ".stderr", r.StdErr);
            if (r.N < 0) throw new ConfigException(path, at + ".n", "a sample count ≥ 0", r.N.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ResultsFile.RequireName(path, at + ".strategy", r.Strategy);
            if (r.Level is < 0) throw new ConfigException(path, at + ".level", "a difficulty level ≥ 0", r.Level.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Absent in snapshots written before verify compared configurations; present, they must name something.
            RequireOptional(path, at + ".split", r.Split);
            RequireOptional(path, at + ".config_hash", r.ConfigHash);
            RequireOptional(path, at + ".checkpoint_hash", r.CheckpointHash);
            if (!seen.Add((r.Cell, r.Model, r.Strategy)))
                throw new ConfigException(path, at, "one row per task × model × strategy", $"a second row for task '{r.Cell}', model '{r.Model}', strategy '{r.Strategy}'");
        }
        return snapshot;
    }

    private static void RequireOptional(string path, string at, string? value)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
            throw new ConfigException(path, at, "a non-empty string (or no such field)", "an empty string");
    }
}

/// <summary>
/// One approved task × model × strategy: accuracy (fraction), its standard error and the sample count (a row written before
/// strategies existed is vanilla); <paramref name="Level"/> when the task column is one level of the task (<see cref="TaskCell"/>).
/// <paramref name="Split"/>, <paramref name="ConfigHash"/> and <paramref name="CheckpointHash"/> are the row's configuration
/// (<see cref="ScoreRow"/>), so verify can tell a different configuration from a changed accuracy; absent in snapshots
/// written before they existed (then they are not compared) and omitted when null, so such snapshots diff cleanly.
/// </summary>
public sealed record ApprovedRow(string Task, string Model, double Accuracy, [property: JsonPropertyName("stderr")] double StdErr, int N, string Strategy = Core.Episodes.EpisodeStrategy.VanillaName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Level = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Split = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfigHash = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CheckpointHash = null)
{
    /// <summary>The task column (<see cref="TaskCell"/>).</summary>
    [JsonIgnore]
    public string Cell => TaskCell.Label(Task, Level);
}
