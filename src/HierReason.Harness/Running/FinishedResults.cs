using HierReason.Core.IO;

namespace HierReason.Harness.Running;

/// <summary>
/// Finds jobs already finished in other run folders (the same key under <c>&lt;runs&gt;/*/jobs/</c>, e.g. a run with a
/// filter or another device count) and copies their result and samples into this run, so they are not run again.
/// Only finished jobs are adopted: a succeeded result with all of its samples (<see cref="JobResultStore.Finished"/>).
/// </summary>
public static class FinishedResults
{
    /// <summary>Copies finished results of <paramref name="jobs"/> found elsewhere under <paramref name="runsRoot"/>; returns how many.</summary>
    public static int Adopt(string runsRoot, IEnumerable<Core.Results.EvalJob> jobs)
    {
        if (!Directory.Exists(runsRoot)) return 0;
        var others = Directory.EnumerateDirectories(runsRoot).Select(d => Path.Combine(d, "jobs")).Where(Directory.Exists).ToList();
        var adopted = 0;
        foreach (var job in jobs)
        {
            if (JobResultStore.Finished(job) is not null) continue;
            foreach (var folder in others)
            {
                var result = Path.Combine(folder, job.Key + ".json");
                var samples = Path.Combine(folder, job.Key + ".jsonl");
                if (Path.GetFullPath(result) == Path.GetFullPath(job.ResultPath)) continue;
                if (JobResultStore.Finished(job with { ResultPath = result, SamplesPath = samples }) is not { } found) continue;
                // Samples first, result last: a copy cut short leaves a job that is not finished, never one that looks it.
                AtomicFile.Copy(samples, job.SamplesPath);
                JobResultStore.Write(found, job.ResultPath);
                adopted++;
                break;
            }
        }
        return adopted;
    }
}
