using HierReason.Core.IO;
using HierReason.Core.Results;
using HierReason.Core.Runs;

namespace HierReason.Harness.Running;

/// <summary>
/// Which jobs are finished — a succeeded result of the job's key whose samples file holds its n samples (what resume
/// skips on) — and adopting jobs already finished in other run folders (the same key under <c>&lt;runs&gt;/*/jobs/</c>,
/// e.g. a run with a filter or another device count): their result and samples are copied into this run, and the job file
/// is written as this run would have (reports read a job's options from it).
/// </summary>
public static class FinishedResults
{
    /// <summary>The job's finished result; null otherwise, and the job runs again: a samples file cut short or damaged is not a finished job.</summary>
    public static JobResult? Of(EvalJob job) =>
        JobResultFile.TryRead(job.ResultPath) is { IsSuccess: true } r && r.Key == job.Key && SampleLog.IsComplete(job.SamplesPath, r) ? r : null;

    /// <summary>Copies finished results of <paramref name="jobs"/> (placed in a run under <paramref name="runsRoot"/>) from the other runs there; returns how many.</summary>
    public static int Adopt(string runsRoot, IEnumerable<EvalJob> jobs)
    {
        if (!Directory.Exists(runsRoot)) return 0;
        var others = Directory.EnumerateDirectories(runsRoot).Select(RunLayout.At).Where(r => Directory.Exists(r.JobsFolder)).ToList();
        var adopted = 0;
        foreach (var job in jobs)
        {
            if (Of(job) is not null) continue;
            foreach (var other in others)
            {
                var there = other.Place(job);
                if (there.ResultPath == Path.GetFullPath(job.ResultPath)) continue;
                if (Of(there) is not { } found) continue;
                // Samples first, result last: a copy cut short leaves a job that is not finished, never one that looks it.
                AtomicFile.Copy(there.SamplesPath, job.SamplesPath);
                var run = RunLayout.Containing(job.ResultPath);
                if (!File.Exists(run.JobFilePath(job.Key))) JobFile.Write(run, job);
                JobResultFile.Write(found, job.ResultPath);
                adopted++;
                break;
            }
        }
        return adopted;
    }
}
