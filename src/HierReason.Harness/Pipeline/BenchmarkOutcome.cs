using HierReason.Core.Results;

namespace HierReason.Harness.Pipeline;

/// <summary>How a benchmark run ended: a result per job that ran or was skipped, and the collected results unless it was cancelled.</summary>
/// <param name="Adopted">Jobs whose finished results were copied from other run folders.</param>
/// <param name="Collected">null after cancellation (finished job results are kept in the run folder; rerunning resumes).</param>
public sealed record BenchmarkOutcome(BenchmarkPlan Plan, IReadOnlyList<JobResult> Results, int Adopted, CollectedResults? Collected)
{
    public bool Cancelled => Collected is null;

    public IReadOnlyList<JobResult> Failed => Results.Where(r => !r.IsSuccess).ToList();
}
