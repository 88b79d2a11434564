using HierReason.Core.Results;
using HierReason.Harness.Aggregation;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Aggregation;

/// <summary>
/// A task benchmarked at two levels (tasks.json entries with "level") gets a row per level: before, both levels' items were
/// pooled into one accuracy and verify matched one level against the other's approved row.
/// </summary>
public sealed class LevelRowsTests
{
    private static readonly RunMetadata Run = new(
        "run-0123456789ab", "20260102-030405", new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero), 10,
        null, "Linux, x64, 2 cores, 24 GiB", ["cpu:0"], new SortedDictionary<string, string>());

    private static readonly string[] Gold = ["Ana", "Bo", "Cy", "Di"];
    private static readonly string[] Level1 = [TaskCell.Label("multi_hop_lookup", 1)];

    private static BenchmarkSummary TwoLevels()
    {
        string[] cells = [TaskCell.Label("multi_hop_lookup", 0), TaskCell.Label("multi_hop_lookup", 1), "chain_sum"];
        return ResultAggregator.Summarize(cells, ["a"],
            [
                TestJobs.Answered("multi_hop_lookup", "a", 0, Gold, Gold) with { Level = 0 },                   // 4 of 4
                TestJobs.Answered("multi_hop_lookup", "a", 0, Gold, ["Ana", "x", "x", "x"]) with { Level = 1 }, // 1 of 4
                TestJobs.Answered("chain_sum", "a", 0, ["5", "7"], ["5", "1"]),                                    // 1 of 2
            ], Run);
    }

    [Fact]
    public void Each_level_is_its_own_row_carrying_its_level()
    {
        var summary = TwoLevels();

        Assert.Equal(["multi_hop_lookup (level 0)", "multi_hop_lookup (level 1)", "chain_sum"], summary.Rows.Select(r => r.Cell));
        Assert.Equal([0, 1, (int?)null], summary.Rows.Select(r => r.Level));
        Assert.Equal([1.0, 0.25, 0.5], summary.Rows.Select(r => r.Accuracy));
        Assert.Equal(3, summary.Averages.Single().Tasks);
        Assert.Equal((1.0 + 0.25 + 0.5) / 3, summary.Averages.Single().Accuracy, 12);
    }

    [Fact]
    public void A_label_gives_back_its_task_and_a_run_without_rows_yet_still_names_its_per_task_files_by_task()
    {
        Assert.Equal("multi_hop_lookup", TaskCell.TaskOf(TaskCell.Label("multi_hop_lookup", 3)));
        Assert.Equal("chain_sum", TaskCell.TaskOf(TaskCell.Label("chain_sum", null)));
        var empty = ResultAggregator.Summarize([TaskCell.Label("multi_hop_lookup", 0), TaskCell.Label("multi_hop_lookup", 1), "chain_sum"], ["a"], [], Run);
        Assert.Equal(["multi_hop_lookup", "chain_sum"], ResultAggregator.TaskNames(empty));
    }

    [Fact]
    public void Results_files_keep_the_level_and_one_per_task_file_holds_every_level()
    {
        using var dir = new TempDir();
        var paths = ResultsWriter.Write(TwoLevels(), dir.Path);

        var perTask = Path.Combine(dir.Path, "results_multi_hop_lookup_20260102-030405.json");
        Assert.Contains(perTask, paths);
        var task = Assert.IsType<ResultsFile.SingleTask>(ResultsFile.Load(perTask)).Results;
        Assert.Equal([0, 1], task.Rows.Select(r => r.Level));
        var all = ResultsFile.LoadSummary(paths[0]);
        Assert.Equal(TwoLevels().Rows.Select(r => (r.Cell, r.Accuracy)), all.Rows.Select(r => (r.Cell, r.Accuracy)));
        var markdown = File.ReadAllText(Path.Combine(dir.Path, "summary.md"));
        Assert.Contains("| multi_hop_lookup (level 1) | 25.0", markdown);
        Assert.Contains("| multi_hop_lookup (level 0) | 100.0", markdown);
        Assert.DoesNotContain("| multi_hop_lookup |", markdown);
    }

    [Fact]
    public void Verify_compares_each_level_with_its_own_approved_row()
    {
        var summary = TwoLevels();
        var approved = ApprovedSnapshot.From(summary);
        Assert.Equal([0, 1, (int?)null], approved.Rows.Select(r => r.Level));

        // The approved level-1 row at 100 %: only level 1 dropped; level 0 is compared with its own row and passes.
        var edited = approved with { Rows = approved.Rows.Select(r => r.Level == 1 ? r with { Accuracy = 1.0, StdErr = 0 } : r).ToList() };
        var report = SnapshotVerifier.Verify(summary, edited, VerificationTolerance.Default, "results.json", "approved.json");

        Assert.False(report.Passed);
        Assert.Equal(Level1, report.Findings.Where(f => f.Kind == SnapshotVerifier.Dropped).Select(f => f.Task));
        Assert.Equal(SnapshotVerifier.Ok, report.Findings.Single(f => f.Task == "multi_hop_lookup (level 0)").Kind);
    }

    [Fact]
    public void An_approved_snapshot_round_trips_its_levels_and_an_old_one_without_them_still_reads()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "approved.json");
        ApprovedSnapshot.From(TwoLevels()).Write(path);

        Assert.Contains("\"level\": 1", File.ReadAllText(path));
        Assert.Equal([0, 1, (int?)null], ApprovedSnapshot.Load(path).Rows.Select(r => r.Level));

        File.WriteAllText(path, """{"schema_version": 1, "rows": [{"task": "chain_sum", "model": "a", "accuracy": 0.5, "stderr": 0.1, "n": 2}]}""");
        Assert.Null(ApprovedSnapshot.Load(path).Rows.Single().Level);
    }
}
