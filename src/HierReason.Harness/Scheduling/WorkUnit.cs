using HierReason.Core.Results;

namespace HierReason.Harness.Scheduling;

/// <summary>What one worker process runs: jobs of a single model on one device, in order, the model loaded once.</summary>
public sealed record WorkUnit(DeviceSlot Device, IReadOnlyList<EvalJob> Jobs)
{
    public string Model => Jobs[0].Model.Name;
}

/// <summary>A device and the work units it runs, in order.</summary>
public sealed record DeviceQueue(DeviceSlot Device, IReadOnlyList<WorkUnit> Units)
{
    public IEnumerable<EvalJob> Jobs => Units.SelectMany(u => u.Jobs);
}
