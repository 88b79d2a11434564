using System.Text.Json;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Publishing;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Reporting;

/// <summary>
/// Verify compares only rows of the same configuration (level, split, n, task-config hash, checkpoint hash); anything else
/// is a "config-mismatch" that fails without being called a drop. Snapshots go through real files in temp folders.
/// </summary>
public sealed class ConfigAwareVerificationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ScoreRow Row(string task, string model, double accuracy, int n = 200, int? level = null, string? split = "test",
        string? configHash = "c0ffee00c0ffee00", string? checkpointHash = null, double stdErr = 0.035)
        => new(task, model, accuracy, stdErr, n, 0.95, 42.0, 1, 0, Level: level, Split: split, ConfigHash: configHash, CheckpointHash: checkpointHash);

    /// <summary>The snapshot of <paramref name="rows"/>, written with --accept's writer and read back from the file.</summary>
    private ApprovedSnapshot Approve(params ScoreRow[] rows)
    {
        var path = Path.Combine(_dir.Path, "approved", "benchmark.approved.json");
        ApprovedSnapshot.From(SampleResults.Summary(rows)).Write(path);
        return ApprovedSnapshot.Load(path);
    }

    private static VerificationReport Verify(ApprovedSnapshot approved, params ScoreRow[] rows)
        => SnapshotVerifier.Verify(SampleResults.Summary(rows), approved, VerificationTolerance.Default, "results_all_tasks.json", "approved.json");

    [Fact]
    public void A_level_1_run_of_24_items_against_a_level_0_snapshot_of_200_is_a_different_configuration_not_a_drop()
    {
        var approved = Approve(Row("letter_counting", "tiny-sft", 0.52, level: 0, configHash: "aaaaaaaaaaaaaaaa"));
        var report = Verify(approved, Row("letter_counting", "tiny-sft", 0.125, n: 24, level: 1, configHash: "bbbbbbbbbbbbbbbb", stdErr: 0.07));

        Assert.False(report.Passed);
        var f = Assert.Single(report.Findings);
        Assert.Equal(SnapshotVerifier.ConfigMismatch, f.Kind);
        Assert.Equal(("letter_counting (level 1)", "tiny-sft", (double?)0.52, (double?)0.125), (f.Task, f.Model, f.Approved, f.Actual));
        Assert.StartsWith("different configuration: level 1 vs approved 0; n 24 vs approved 200; config_hash bbbbbbbbbbbbbbbb vs approved aaaaaaaaaaaaaaaa;",
            f.Message, StringComparison.Ordinal);
        Assert.Contains("accuracy 12.5% vs approved 52.0% not compared", f.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dropped", f.Message, StringComparison.Ordinal);

        var table = VerificationTable.Format(report);
        Assert.Contains("FAIL (different configuration)", table, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL (dropped)", table, StringComparison.Ordinal);
        Assert.Contains("FAILED: 0 ok, 0 improved, 0 dropped, 0 missing, 0 new, 1 with a different configuration", table, StringComparison.Ordinal);
        Assert.Contains("1 row ran a different configuration than the approved snapshot: nothing was verified", table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n", "n 24 vs approved 200")]
    [InlineData("split", "split validation vs approved test")]
    [InlineData("config_hash", "config_hash 1111111111111111 vs approved c0ffee00c0ffee00")]
    [InlineData("checkpoint_hash", "checkpoint_hash 2222222222222222 vs approved 9999999999999999")]
    public void Each_differing_configuration_field_alone_fails_as_a_mismatch_naming_it(string field, string expected)
    {
        var approvedRow = Row("chain_sum", "remote-4b", 0.40, checkpointHash: "9999999999999999");
        var approved = Approve(approvedRow);
        var actual = field switch
        {
            "n" => approvedRow with { N = 24 },
            "split" => approvedRow with { Split = "validation" },
            "config_hash" => approvedRow with { ConfigHash = "1111111111111111" },
            _ => approvedRow with { CheckpointHash = "2222222222222222" },
        };
        // The same accuracy: only the configuration differs, and that alone fails.
        var report = Verify(approved, actual);
        Assert.False(report.Passed);
        var f = Assert.Single(report.Findings);
        Assert.Equal(SnapshotVerifier.ConfigMismatch, f.Kind);
        Assert.Equal("different configuration: " + expected + "; accuracy 40.0% vs approved 40.0% not compared "
                     + "(nothing verified: rerun with the approved configuration, or --accept to approve this one)", f.Message);
    }

    [Fact]
    public void The_same_configuration_is_compared_as_before()
    {
        var approved = Approve(Row("chain_sum", "tiny-sft", 0.40, level: 2, checkpointHash: "9999999999999999"));
        var report = Verify(approved, Row("chain_sum", "tiny-sft", 0.20, level: 2, checkpointHash: "9999999999999999"));
        Assert.Equal(SnapshotVerifier.Dropped, Assert.Single(report.Findings).Kind);
    }

    [Fact]
    public void An_exact_level_match_wins_and_only_leftover_levels_pair_across()
    {
        var approved = Approve(
            Row("multi_hop_lookup", "ts-sft", 0.50, level: 0),
            Row("multi_hop_lookup", "ts-sft", 0.30, level: 1),
            Row("chain_sum", "ts-sft", 0.60));
        var report = Verify(approved,
            Row("multi_hop_lookup", "ts-sft", 0.31, level: 1),
            Row("multi_hop_lookup", "ts-sft", 0.10, level: 3),
            Row("leg_counting", "ts-sft", 0.70));

        Assert.Equal(
            [("multi_hop_lookup (level 3)", SnapshotVerifier.ConfigMismatch), ("multi_hop_lookup (level 1)", SnapshotVerifier.Ok),
             ("chain_sum", SnapshotVerifier.Missing), ("leg_counting", SnapshotVerifier.New)],
            report.Findings.Select(f => (f.Task, f.Kind)));
        Assert.StartsWith("different configuration: level 3 vs approved 0;", report.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_snapshot_without_split_or_hashes_still_verifies_ok_against_results_that_have_them()
    {
        var path = _dir.Write("old.approved.json", """
            {
              "schema_version": 1,
              "rows": [
                { "task": "leg_counting", "model": "tiny-sft", "accuracy": 0.425, "stderr": 0.035, "n": 200, "strategy": "vanilla" },
                { "task": "multi_hop_lookup", "model": "ts-sft", "accuracy": 0.1, "stderr": 0.02, "n": 200, "strategy": "vanilla", "level": 1 }
              ]
            }
            """);
        var old = ApprovedSnapshot.Load(path);
        Assert.All(old.Rows, r => Assert.Equal((null, null, null), (r.Split, r.ConfigHash, r.CheckpointHash)));

        var report = Verify(old,
            Row("leg_counting", "tiny-sft", 0.43, checkpointHash: "9999999999999999"),
            Row("multi_hop_lookup", "ts-sft", 0.1, level: 1, stdErr: 0.02));
        Assert.True(report.Passed);
        Assert.All(report.Findings, f => Assert.Equal(SnapshotVerifier.Ok, f.Kind));
    }

    [Fact]
    public void A_snapshot_keeps_split_and_hashes_and_omits_them_when_absent()
    {
        var json = ApprovedSnapshot.From(SampleResults.Summary(
            Row("leg_counting", "tiny-sft", 0.4, checkpointHash: "9999999999999999"),
            Row("chain_sum", "tiny-sft", 0.2, split: null, configHash: null))).ToJson();
        using var doc = JsonDocument.Parse(json);
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal("test", rows[0].GetProperty("split").GetString());
        Assert.Equal("c0ffee00c0ffee00", rows[0].GetProperty("config_hash").GetString());
        Assert.Equal("9999999999999999", rows[0].GetProperty("checkpoint_hash").GetString());
        Assert.Equal(["task", "model", "accuracy", "stderr", "n", "strategy"], rows[1].EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("split")]
    [InlineData("config_hash")]
    [InlineData("checkpoint_hash")]
    public void An_empty_configuration_field_in_a_snapshot_is_rejected_naming_its_path(string field)
    {
        var path = _dir.Write("bad.approved.json",
            $$"""{ "schema_version": 1, "rows": [ { "task": "t", "model": "m", "accuracy": 0.5, "stderr": 0, "n": 1, "{{field}}": " " } ] }""");
        var e = Assert.Throws<ConfigException>(() => ApprovedSnapshot.Load(path));
        Assert.Equal($"$.rows[0].{field}", e.JsonPath);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_records_the_results_sha256_as_results_sha256()
    {
        var results = _dir.Write("results_all_tasks_x.json", "{}");
        var sha = VerificationReport.Sha256Of(results);
        Assert.Equal("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", sha);
        var report = SnapshotVerifier.Verify(SampleResults.Summary(), ApprovedSnapshot.From(SampleResults.Summary()), VerificationTolerance.Default,
            results, "approved.json", sha);
        var json = JsonSerializer.Serialize(report, HierJson.Indented);
        Assert.Contains($"\"results_sha256\": \"{sha}\"", json, StringComparison.Ordinal);
        Assert.Equal(sha, JsonSerializer.Deserialize<VerificationReport>(json, HierJson.Options)!.ResultsSha256);
    }

    [Fact]
    public void The_pull_request_text_names_a_different_configuration_and_does_not_count_it_as_dropped()
    {
        var approved = Approve(Row("letter_counting", "tiny-sft", 0.52, level: 0));
        var verification = Verify(approved, Row("letter_counting", "tiny-sft", 0.125, n: 24, level: 1));
        var content = PublishContent.From(new BenchmarkReport(_dir.Path, "| task |\n", SampleResults.Summary(), verification));

        Assert.Equal(PublishConclusion.Failure, content.Conclusion);
        Assert.EndsWith("verification failed (0 dropped, 1 with a different configuration)", content.Title, StringComparison.Ordinal);
        Assert.Contains("**1 row ran a different configuration**", content.CheckSummary, StringComparison.Ordinal);
        Assert.Contains("| letter_counting (level 1) | tiny-sft | config-mismatch (different configuration) | 52.0% | 12.5% | different configuration: level 1 vs approved 0; n 24 vs approved 200;",
            content.CommentBody, StringComparison.Ordinal);
    }
}
