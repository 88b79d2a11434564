using HierReason.Core.Results;

namespace HierReason.Harness.Running;

/// <summary>What happened to a job: the live view and the plain log follow these.</summary>
public enum JobEventKind
{
    Skipped,
    Started,
    Succeeded,
    Retrying,
    Failed,
}

/// <summary>One step of one job on one device.</summary>
public sealed record JobEvent(JobEventKind Kind, EvalJob Job, string Device, string? Message = null, JobResult? Result = null);
