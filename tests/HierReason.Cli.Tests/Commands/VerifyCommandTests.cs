using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Cli.Tests.Commands;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly ReportingFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private string Approved => Path.Combine(_fx.Dir, "approved", "benchmark.approved.json");

    private VerificationReport Report()
        => JsonSerializer.Deserialize<VerificationReport>(File.ReadAllText(_fx.PathOf("verification.json")), HierJson.Options)!;

    private async Task AcceptDefaults()
    {
        var accept = await CliRun.Of("verify", _fx.WriteSummary(name: "baseline.json"), "--approved", Approved, "--accept");
        Assert.Equal(0, accept.ExitCode);
    }

    [Fact]
    public async Task Accept_writes_the_snapshot_and_the_same_results_then_pass()
    {
        await AcceptDefaults();
        Assert.True(File.Exists(Approved));
        Assert.DoesNotContain("run-7", File.ReadAllText(Approved), StringComparison.Ordinal);

        var run = await CliRun.Of("verify", _fx.WriteSummary(), "--approved", Approved);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("PASSED: 4 ok", run.Out, StringComparison.Ordinal);
        var report = Report();
        Assert.True(report.Passed);
        Assert.Equal(4, report.Findings.Count);
        Assert.Equal((5.0, 2.0), (report.TolerancePoints, report.ToleranceStdErr));
    }

    [Fact]
    public async Task A_drop_beyond_tolerance_exits_1_with_the_diff_and_a_failed_report()
    {
        await AcceptDefaults();
        var rows = ReportingFixture.DefaultRows();
        rows[1] = ReportingFixture.Row("leg_counting", "tiny-grpo", 0.40);
        var run = await CliRun.Of("verify", _fx.WriteSummary(rows), "--approved", Approved);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL (dropped)", run.Out, StringComparison.Ordinal);
        Assert.Contains("-15.0", run.Out, StringComparison.Ordinal);
        var report = Report();
        Assert.False(report.Passed);
        Assert.Equal("dropped", report.Findings.Single(f => f.Model == "tiny-grpo" && f.Task == "leg_counting").Kind);
    }

    [Fact]
    public async Task Wider_tolerances_from_the_options_let_the_same_drop_pass()
    {
        await AcceptDefaults();
        var rows = ReportingFixture.DefaultRows();
        rows[1] = ReportingFixture.Row("leg_counting", "tiny-grpo", 0.40);
        var run = await CliRun.Of("verify", _fx.WriteSummary(rows), "--approved", Approved, "--tolerance-points", "20");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(20.0, Report().TolerancePoints);
    }

    [Fact]
    public async Task A_missing_row_fails_and_a_new_row_only_warns()
    {
        await AcceptDefaults();
        var withNew = ReportingFixture.DefaultRows().Append(ReportingFixture.Row("chain_sum", "remote", 0.9)).ToArray();
        var newRun = await CliRun.Of("verify", _fx.WriteSummary(withNew), "--approved", Approved);
        Assert.Equal(0, newRun.ExitCode);
        Assert.Contains("warning (new)", newRun.Out, StringComparison.Ordinal);

        var without = ReportingFixture.DefaultRows()[1..];
        var missingRun = await CliRun.Of("verify", _fx.WriteSummary(without), "--approved", Approved);
        Assert.Equal(1, missingRun.ExitCode);
        Assert.Contains("FAIL (missing)", missingRun.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_replaces_the_snapshot_so_the_new_numbers_pass()
    {
        await AcceptDefaults();
        var rows = ReportingFixture.DefaultRows();
        rows[0] = ReportingFixture.Row("leg_counting", "tiny-sft", 0.10);
        var results = _fx.WriteSummary(rows);
        Assert.Equal(1, (await CliRun.Of("verify", results, "--approved", Approved)).ExitCode);
        var accept = await CliRun.Of("verify", results, "--approved", Approved, "--accept");
        Assert.Equal(0, accept.ExitCode);
        Assert.Contains("FAIL (dropped)", accept.Out, StringComparison.Ordinal); // shows what changed
        Assert.Equal(0, (await CliRun.Of("verify", results, "--approved", Approved)).ExitCode);
    }

    [Theory]
    [InlineData("{ \"schema_version\": 1, \"rows\": [ { \"task\": \"t\" ")]
    [InlineData("{ \"schema_version\": 9, \"rows\": [] }")]
    [InlineData("{ \"schema_version\": 1, \"rows\": [ { \"task\": \"t\", \"model\": \"m\", \"accuracy\": 2, \"stderr\": 0, \"n\": 1 } ] }")]
    public async Task A_malformed_approved_file_exits_2_and_writes_no_report(string json)
    {
        var approved = _fx.PathOf("bad.approved.json");
        File.WriteAllText(approved, json);
        var run = await CliRun.Of("verify", _fx.WriteSummary(), "--approved", approved);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + approved, run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(_fx.PathOf("verification.json")));
    }

    [Fact]
    public async Task A_missing_approved_file_exits_2_and_says_how_to_create_it()
    {
        var run = await CliRun.Of("verify", _fx.WriteSummary(), "--approved", Approved);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--accept", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_task_results_file_is_bad_input()
    {
        await AcceptDefaults();
        var run = await CliRun.Of("verify", _fx.WriteTask("chain_sum"), "--approved", Approved);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("all-tasks summary", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_tolerance_is_bad_input()
    {
        await AcceptDefaults();
        var run = await CliRun.Of("verify", _fx.WriteSummary(), "--approved", Approved, "--tolerance-stderr", "-1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--tolerance-stderr", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_results_folder_is_verified_through_its_newest_all_tasks_file()
    {
        await AcceptDefaults();
        var rows = ReportingFixture.DefaultRows();
        rows[1] = ReportingFixture.Row("leg_counting", "tiny-grpo", 0.40);
        _fx.WriteSummary(rows, "results_all_tasks_20250101-000000.json"); // older and failing: not the one checked
        var newest = _fx.WriteSummary(name: "results_all_tasks_20260301-000000.json");

        var run = await CliRun.Of("verify", _fx.Dir, "--approved", Approved);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("verifying " + newest, run.Out, StringComparison.Ordinal);
        Assert.Equal(newest, Report().Results);
    }

    [Fact]
    public async Task A_folder_without_results_exits_2()
    {
        var empty = Path.Combine(_fx.Dir, "empty");
        Directory.CreateDirectory(empty);
        var run = await CliRun.Of("verify", empty, "--approved", Approved);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no results_all_tasks", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_level_1_run_of_24_items_against_a_level_0_snapshot_of_200_fails_as_a_different_configuration_not_a_drop()
    {
        var approvedRow = ReportingFixture.Row("letter_counting", "tiny-sft", 0.52, n: 200) with { Level = 0, Split = "test", ConfigHash = "aaaaaaaaaaaaaaaa" };
        Assert.Equal(0, (await CliRun.Of("verify", _fx.WriteSummary([approvedRow], "baseline.json"), "--approved", Approved, "--accept")).ExitCode);
        var approvedJson = File.ReadAllText(Approved);
        Assert.Contains("\"config_hash\": \"aaaaaaaaaaaaaaaa\"", approvedJson, StringComparison.Ordinal);
        Assert.Contains("\"split\": \"test\"", approvedJson, StringComparison.Ordinal);

        var results = _fx.WriteSummary([approvedRow with { Level = 1, N = 24, Accuracy = 0.125, ConfigHash = "bbbbbbbbbbbbbbbb" }]);
        var run = await CliRun.Of("verify", results, "--approved", Approved);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL (different configuration)", run.Out, StringComparison.Ordinal);
        Assert.Contains("letter_counting (level 1) × tiny-sft: different configuration: level 1 vs approved 0; n 24 vs approved 200;", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("dropped 39.5", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL (dropped)", run.Out, StringComparison.Ordinal);
        var report = Report();
        Assert.False(report.Passed);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("config-mismatch", 0.52, 0.125), (finding.Kind, finding.Approved, finding.Actual));
        Assert.Equal(VerificationReport.Sha256Of(results), report.ResultsSha256);
    }
}
