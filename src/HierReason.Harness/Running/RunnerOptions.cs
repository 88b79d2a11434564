namespace HierReason.Harness.Running;

/// <summary>How the runner treats jobs: concurrent workers per device, per-job timeout, retries after a failure, --force.</summary>
public sealed record RunnerOptions(int SlotsPerDevice = 1, TimeSpan? JobTimeout = null, int Retries = 1, bool Force = false)
{
    public TimeSpan Timeout => JobTimeout ?? TimeSpan.FromHours(2);
}
