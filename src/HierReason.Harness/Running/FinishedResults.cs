namespace HierReason.Harness.Running;

/// <summary>
/// Finds jobs already finished in other run folders (the same key under <c>&lt;runs&gt;/*/jobs/</c>, e.g. a run with a
/// filter or another device count) and copies their result and samples into this run, so they are not run again.
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
                if (JobResultStore.TryRead(result) is not { IsSuccess: true } found || found.Key != job.Key || !File.Exists(samples)) continue;
                File.Copy(samples, job.SamplesPath, overwrite: true);
                JobResultStore.Write(found, job.ResultPath);
                adopted++;
                break;
            }
        }
        return adopted;
    }
}
