using HierReason.Core;
using HierReason.Harness.Reporting;
using Snapshooter.Xunit;

namespace HierReason.Harness.Tests.Reporting;

public class ApprovedSnapshotTests
{
    [Fact]
    public void The_snapshot_holds_only_task_model_accuracy_stderr_and_n()
    {
        var json = ApprovedSnapshot.From(SampleResults.Summary()).ToJson();
        Assert.DoesNotContain("timestamp", json, StringComparison.Ordinal);
        Assert.DoesNotContain("machine", json, StringComparison.Ordinal);
        json.MatchSnapshot();
    }

    [Fact]
    public void Writing_then_loading_gives_the_same_rows_and_creates_folders()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "tests", "approved", "benchmark.approved.json");
        var snapshot = ApprovedSnapshot.From(SampleResults.Summary());
        snapshot.Write(path);
        var loaded = ApprovedSnapshot.Load(path);
        Assert.Equal(snapshot.Rows, loaded.Rows);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void A_whole_results_all_tasks_file_also_serves_as_the_snapshot()
    {
        using var dir = new TempDir();
        var summary = SampleResults.Summary();
        var path = SampleResults.Write(dir.Path, "results_all_tasks_x.json", summary);
        Assert.Equal(ApprovedSnapshot.From(summary).Rows, ApprovedSnapshot.Load(path).Rows);
    }

    [Theory]
    [InlineData("{ \"rows\": [] }", "$.schema_version")]
    [InlineData("{ \"schema_version\": 2, \"rows\": [] }", "$.schema_version")]
    [InlineData("{ \"schema_version\": 1 }", "$.rows")]
    [InlineData("{ \"schema_version\": 1, \"rows\": [ { \"task\": \"t\", \"model\": \"m\", \"accuracy\": 1.5, \"stderr\": 0, \"n\": 1 } ] }", "$.rows[0].accuracy")]
    [InlineData("{ \"schema_version\": 1, \"rows\": [ { \"task\": \"\", \"model\": \"m\", \"accuracy\": 0.5, \"stderr\": 0, \"n\": 1 } ] }", "$.rows[0].task")]
    [InlineData("{ \"schema_version\": 1, \"rows\": [ { \"task\": \"t\", \"model\": \"m\", \"accuracy\": 0.5, \"stderr\": -1, \"n\": 1 } ] }", "$.rows[0].stderr")]
    [InlineData("{ \"schema_version\": 1, \"rows\": [ { \"task\": \"t\", \"model\": \"m\", \"accuracy\": \"high\", \"stderr\": 0, \"n\": 1 } ] }", "$.rows[0].accuracy")]
    public void Malformed_snapshots_are_rejected_naming_the_path(string json, string path)
    {
        using var dir = new TempDir();
        var file = dir.Combine("approved.json");
        File.WriteAllText(file, json);
        var e = Assert.Throws<ConfigException>(() => ApprovedSnapshot.Load(file));
        Assert.Equal(path, e.JsonPath);
        Assert.StartsWith(file, e.Message, StringComparison.Ordinal);
    }
}
