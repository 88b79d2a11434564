using HierReason.Core.Results;
using HierReason.Core.Runs;

namespace HierReason.Core.Tests.Runs;

public sealed class SampleLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-samples-" + Guid.NewGuid().ToString("N")[..10]);

    public SampleLogTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SampleRecord Sample(string item, int? index) => new(item, "h" + item, "<answer>1</answer>", "1", 1, true, 4, 2, "stop", Sample: index);

    /// <summary>Items × k samples, item-major, indexed when k &gt; 1 (as the worker writes them).</summary>
    private string Write(string name, int items, int k)
    {
        var path = Path.Combine(_dir, name);
        SampleLog.Write(path, Enumerable.Range(0, items).SelectMany(i => Enumerable.Range(0, k).Select(s => Sample("i" + i, k > 1 ? s : null))).ToList());
        return path;
    }

    [Fact]
    public void A_sampled_job_is_complete_with_items_times_k_lines_each_indexed_in_item_major_order()
    {
        var path = Write("k3.jsonl", items: 2, k: 3);
        Assert.Equal(6, File.ReadAllLines(path).Length);
        Assert.Contains("\"sample\":2", File.ReadAllLines(path)[2]);
        Assert.True(SampleLog.IsComplete(path, 2, 3));
        // The same lines are not a complete one-sample job of 6 items (line 1 is sample 1, not sample 0 of an item),
        // nor k = 3 with a line missing.
        Assert.False(SampleLog.IsComplete(path, 6));
        File.WriteAllLines(path, File.ReadAllLines(path)[..5]);
        Assert.False(SampleLog.IsComplete(path, 2, 3));
    }

    [Fact]
    public void One_sample_per_item_leaves_the_index_out_and_reads_as_before()
    {
        var path = Write("k1.jsonl", items: 3, k: 1);
        Assert.DoesNotContain("\"sample\"", File.ReadAllText(path));
        Assert.True(SampleLog.IsComplete(path, 3));
        Assert.False(SampleLog.IsComplete(path, 1, 3));
    }

    [Fact]
    public void The_result_says_how_many_lines_its_samples_file_holds()
    {
        var path = Write("r.jsonl", items: 2, k: 4);
        var result = new JobResult("k", JobResult.Succeeded, "chain_sum", "m", "test", 0, 2, 1, 0, 2, 2, 1, 4, 1, 1, "cpu:0", DateTimeOffset.UnixEpoch,
            SamplesPerItem: 4);
        Assert.True(SampleLog.IsComplete(path, result));
        Assert.False(SampleLog.IsComplete(path, result with { SamplesPerItem = null }));
    }
}
