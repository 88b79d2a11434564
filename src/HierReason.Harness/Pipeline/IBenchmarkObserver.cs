using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Pipeline;

/// <summary>Follows a running benchmark (the CLI's live table or plain lines; tests record it). Job events and worker lines arrive from several threads at once.</summary>
public interface IBenchmarkObserver
{
    /// <summary>The run folder is written and finished jobs of other runs are adopted (<paramref name="adopted"/> of them); workers start next.</summary>
    void Prepared(BenchmarkPlan plan, int adopted);

    /// <summary>A job was skipped, started, finished, retried or failed.</summary>
    void JobChanged(JobEvent e);

    /// <summary>A line a worker printed (progress such as "&lt;key&gt;: batch 3/7"), secrets already masked.</summary>
    void WorkerOutput(WorkUnit unit, string line);
}
