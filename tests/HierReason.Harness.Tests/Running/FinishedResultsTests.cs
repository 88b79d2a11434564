using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Running;

namespace HierReason.Harness.Tests.Running;

/// <summary>What resume counts as finished when a job samples several times per item.</summary>
public sealed class FinishedResultsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SampleRecord Sample(int item, int? index) => new("i" + item, "h" + item, "", null, 0, false, 1, 1, "stop", Sample: index);

    [Fact]
    public void A_sampled_job_is_finished_only_with_every_sample_of_every_item()
    {
        var job = TestJobs.Job("chain_sum", "m", n: 2);
        job = RunLayout.At(_dir.Combine("run")).Place(job with { Model = job.Model with { Generation = job.Model.Generation with { Samples = 3 } } });
        var result = TestJobs.Result("chain_sum", "m", 0, 0, 0) with { Key = job.Key, SamplesPerItem = 3 };
        JobResultFile.Write(result, job.ResultPath);

        // One line per item, as a one-sample job writes them: not finished.
        SampleLog.Write(job.SamplesPath, [Sample(0, null), Sample(1, null)]);
        Assert.Null(FinishedResults.Of(job));

        SampleLog.Write(job.SamplesPath, Enumerable.Range(0, 2).SelectMany(i => Enumerable.Range(0, 3).Select(s => Sample(i, s))).ToList());
        Assert.Equal(result, FinishedResults.Of(job));

        // Adopted from another run folder only as a whole.
        var other = RunLayout.At(_dir.Combine("other")).Place(job);
        Assert.Equal(1, FinishedResults.Adopt(_dir.Path, [other]));
        Assert.Equal(6, File.ReadAllLines(other.SamplesPath).Length);
        // With its job file, which reports read the job's options from.
        var otherRun = RunLayout.At(_dir.Combine("other"));
        Assert.Equal((other.Key, other.Model.Generation.Samples), (JobFile.Read(otherRun.JobFilePath(other.Key)).Key, JobFile.Read(otherRun.JobFilePath(other.Key)).Model.Generation.Samples));
    }
}
