using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Slurm;

/// <summary>
/// A benchmark matrix laid out as a run folder for SLURM: <c>run.json</c> (what collect needs) and <c>manifest.jsonl</c>
/// (one job per line, array task i runs line i). Every job gets the same device; SLURM picks the GPU (CUDA_VISIBLE_DEVICES).
/// </summary>
public sealed record SlurmRunPlan(RunLayout Run, IReadOnlyList<EvalJob> Jobs)
{
    /// <summary>Places the expanded jobs in <c>&lt;runsRoot&gt;/&lt;run-id&gt;</c> (the id hashes the job keys, so the same matrix resumes the same folder) and writes the manifest.</summary>
    public static SlurmRunPlan Write(IReadOnlyList<EvalJob> expanded, string runsRoot, string device)
    {
        var run = JobMatrix.RunIn(runsRoot, expanded);
        var jobs = expanded.Select(j => run.Place(j) with { Device = device }).ToList();
        RunManifest.Of(run, jobs, [$"slurm:{device}"], "slurm-array").Write(run, jobs);
        return new SlurmRunPlan(run, jobs);
    }
}
