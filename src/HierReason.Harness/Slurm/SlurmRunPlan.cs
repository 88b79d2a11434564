using HierReason.Core.Results;
using HierReason.Harness.Aggregation;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Slurm;

/// <summary>
/// A benchmark matrix laid out as a run folder for SLURM: <c>run.json</c> (what collect needs) and <c>manifest.jsonl</c>
/// (one job per line, array task i runs line i). Every job gets the same device; SLURM picks the GPU (CUDA_VISIBLE_DEVICES).
/// </summary>
public sealed record SlurmRunPlan(string RunDirectory, string ManifestPath, IReadOnlyList<EvalJob> Jobs)
{
    /// <summary>Places the expanded jobs in <c>&lt;runsRoot&gt;/&lt;run-id&gt;</c> (the id hashes the job keys, so the same matrix resumes the same folder) and writes the manifest.</summary>
    public static SlurmRunPlan Write(IReadOnlyList<EvalJob> expanded, string runsRoot, string device)
    {
        var runId = JobMatrix.RunId(expanded);
        var runDirectory = Path.GetFullPath(Path.Combine(runsRoot, runId));
        var jobs = JobMatrix.InRun(expanded, runDirectory).Select(j => j with { Device = device }).ToList();
        Directory.CreateDirectory(Path.Combine(runDirectory, "jobs"));
        new RunManifest(runId, jobs.Select(j => j.Task).Distinct().ToList(), jobs.Select(j => j.Model.Name).Distinct().ToList(),
            [$"slurm:{device}"], "slurm-array", DateTimeOffset.UtcNow).Write(runDirectory, jobs);
        return new SlurmRunPlan(runDirectory, Path.Combine(runDirectory, RunManifest.JobsFileName), jobs);
    }
}
