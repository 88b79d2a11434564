using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Harness.Reporting;
using Snapshooter.Xunit;

namespace HierReason.Harness.Tests.Reporting;

public class SnapshotVerifierTests
{
    private static readonly ApprovedSnapshot Approved = ApprovedSnapshot.From(SampleResults.Summary());

    private static VerificationReport Verify(BenchmarkSummary results, VerificationTolerance? tolerance = null)
        => SnapshotVerifier.Verify(results, Approved, tolerance ?? VerificationTolerance.Default, "results_all_tasks.json", "approved.json");

    private static BenchmarkSummary WithRow(string task, string model, double accuracy, double stdErr = 0.035, int n = 200)
    {
        var rows = SampleResults.Summary().Rows.Select(r => r.Task == task && r.Model == model ? SampleResults.Row(task, model, accuracy, stdErr, n) : r);
        return SampleResults.Summary(rows.ToArray());
    }

    [Fact]
    public void The_same_numbers_pass_with_every_row_ok()
    {
        var report = Verify(SampleResults.Summary());
        Assert.True(report.Passed);
        Assert.All(report.Findings, f => Assert.Equal(SnapshotVerifier.Ok, f.Kind));
        Assert.Equal(6, report.Findings.Count);
    }

    [Fact]
    public void A_drop_beyond_both_the_points_and_the_noise_fails()
    {
        // 61.0% → 45.0%: 16 points, and 2 × √(0.035² + 0.035²) = 9.9 points of noise.
        var report = Verify(WithRow("leg_counting", "tiny-grpo", 0.45));
        Assert.False(report.Passed);
        var f = Assert.Single(report.Findings, f => f.Kind != SnapshotVerifier.Ok);
        Assert.Equal(("leg_counting", "tiny-grpo", SnapshotVerifier.Dropped, 0.61, 0.45), (f.Task, f.Model, f.Kind, f.Approved, f.Actual));
        Assert.Contains("dropped 16.0 points", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drop_larger_than_the_points_but_within_the_noise_of_small_samples_passes()
    {
        // 8 points lower, but with n = 20 on both sides the standard errors are ~0.11: 2 × √(0.09² + 0.11²) ≈ 28 points.
        var approved = ApprovedSnapshot.From(WithRow("chain_sum", "tiny-grpo", 0.18, stdErr: 0.09, n: 20));
        var report = SnapshotVerifier.Verify(WithRow("chain_sum", "tiny-grpo", 0.10, stdErr: 0.11, n: 20), approved, VerificationTolerance.Default, "r", "a");
        Assert.True(report.Passed);
        Assert.Equal(SnapshotVerifier.Ok, report.Findings.Single(f => f.Task == "chain_sum" && f.Model == "tiny-grpo").Kind);
    }

    [Fact]
    public void A_drop_beyond_the_noise_but_within_the_points_passes()
    {
        // Tight errors (0.001): 3 points is far outside the noise, inside the 5-point tolerance.
        var tight = SampleResults.Summary(SampleResults.Summary().Rows.Select(r => r with { StdErr = 0.001 }).ToArray());
        var approved = ApprovedSnapshot.From(tight);
        var lower = SampleResults.Summary(tight.Rows.Select(r => r.Model == "tiny-sft" && r.Task == "leg_counting" ? r with { Accuracy = 0.395 } : r).ToArray());
        Assert.True(SnapshotVerifier.Verify(lower, approved, VerificationTolerance.Default, "r", "a").Passed);
        Assert.False(SnapshotVerifier.Verify(lower, approved, new VerificationTolerance(Points: 2), "r", "a").Passed);
    }

    [Fact]
    public void A_rise_beyond_the_tolerance_is_reported_as_improved_and_passes()
    {
        var report = Verify(WithRow("chain_sum", "tiny-sft", 0.40));
        Assert.True(report.Passed);
        Assert.Equal(SnapshotVerifier.Improved, report.Findings.Single(f => f.Task == "chain_sum" && f.Model == "tiny-sft").Kind);
    }

    [Fact]
    public void A_new_row_is_a_warning_and_still_passes()
    {
        var rows = SampleResults.Summary().Rows.Append(SampleResults.Row("leg_counting", "gpt-remote", 0.9)).ToArray();
        var report = Verify(SampleResults.Summary(rows));
        Assert.True(report.Passed);
        var f = Assert.Single(report.Findings, f => f.Kind == SnapshotVerifier.New);
        Assert.Equal(("leg_counting", "gpt-remote", (double?)null, (double?)0.9), (f.Task, f.Model, f.Approved, f.Actual));
        Assert.Equal(f, report.Findings[^1]);
    }

    [Fact]
    public void A_missing_row_fails()
    {
        var rows = SampleResults.Summary().Rows.Where(r => !(r.Task == "basic_arithmetic" && r.Model == "tiny-sft")).ToArray();
        var report = Verify(SampleResults.Summary(rows));
        Assert.False(report.Passed);
        var f = Assert.Single(report.Findings, f => f.Kind == SnapshotVerifier.Missing);
        Assert.Equal(("basic_arithmetic", "tiny-sft", (double?)0.30, (double?)null), (f.Task, f.Model, f.Approved, f.Actual));
    }

    [Fact]
    public void Negative_tolerances_are_user_errors()
    {
        Assert.Throws<HierReasonException>(() => Verify(SampleResults.Summary(), new VerificationTolerance(Points: -1)));
        Assert.Throws<HierReasonException>(() => Verify(SampleResults.Summary(), new VerificationTolerance(StdErrs: double.NaN)));
    }

    [Fact]
    public void The_diff_table_reads_as_task_model_approved_actual_delta_verdict()
    {
        var rows = SampleResults.Summary().Rows
            .Where(r => !(r.Task == "basic_arithmetic" && r.Model == "tiny-sft"))
            .Select(r => r.Task == "leg_counting" && r.Model == "tiny-grpo" ? r with { Accuracy = 0.45 } : r)
            .Select(r => r.Task == "chain_sum" && r.Model == "tiny-sft" ? r with { Accuracy = 0.40 } : r)
            .Select(r => r.Task == "chain_sum" && r.Model == "tiny-grpo" ? r with { Accuracy = 0.16 } : r)
            .Append(SampleResults.Row("leg_counting", "gpt-remote", 0.9))
            .ToArray();
        var table = VerificationTable.Format(Verify(SampleResults.Summary(rows)));
        Assert.Contains("FAILED: 3 ok, 1 improved, 1 dropped, 1 missing, 1 new", table, StringComparison.Ordinal);
        table.MatchSnapshot();
    }
}
