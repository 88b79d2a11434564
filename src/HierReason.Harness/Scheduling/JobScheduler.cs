using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Scheduling;

/// <summary>How jobs are placed on devices.</summary>
public enum ScheduleKind
{
    /// <summary>Job i goes to device i mod D; every job is its own worker process.</summary>
    RoundRobin,

    /// <summary>A device keeps one model loaded: each model's jobs go to one device (longest first) and run in one worker.</summary>
    Affinity,
}

/// <summary>Places jobs on devices (<see cref="ScheduleKind"/>); the jobs come back with their device set.</summary>
public static class JobScheduler
{
    /// <summary>The flag's spelling of <paramref name="kind"/> (what --schedule takes and output prints).</summary>
    public static string Name(ScheduleKind kind) => kind switch
    {
        ScheduleKind.RoundRobin => "round-robin",
        ScheduleKind.Affinity => "affinity",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ScheduleKind Parse(string text) => text switch
    {
        "round-robin" or "roundrobin" or "rr" => ScheduleKind.RoundRobin,
        "affinity" => ScheduleKind.Affinity,
        _ => throw new HierReasonException($"--schedule: expected round-robin or affinity; found '{text}'"),
    };

    public static IReadOnlyList<DeviceQueue> Assign(IReadOnlyList<EvalJob> jobs, IReadOnlyList<DeviceSlot> devices, ScheduleKind kind) => kind switch
    {
        ScheduleKind.RoundRobin => RoundRobin(jobs, devices),
        ScheduleKind.Affinity => Affinity(jobs, devices),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Job i → device i mod D, in order; one job per worker.</summary>
    public static IReadOnlyList<DeviceQueue> RoundRobin(IReadOnlyList<EvalJob> jobs, IReadOnlyList<DeviceSlot> devices)
    {
        if (devices.Count == 0) throw new ArgumentException("no devices", nameof(devices));
        var units = devices.Select(_ => new List<WorkUnit>()).ToArray();
        for (var i = 0; i < jobs.Count; i++)
        {
            var device = devices[i % devices.Count];
            units[i % devices.Count].Add(new WorkUnit(device, [jobs[i] with { Device = device.Name }]));
        }
        return devices.Select((d, i) => new DeviceQueue(d, units[i])).ToList();
    }

    /// <summary>
    /// Each model's jobs form a group; while there are fewer groups than devices the costliest group is split in two,
    /// so no device idles. Groups go, costliest first, to the least-loaded device (LPT); each group is one worker that
    /// loads its model once and runs its jobs longest first.
    /// </summary>
    public static IReadOnlyList<DeviceQueue> Affinity(IReadOnlyList<EvalJob> jobs, IReadOnlyList<DeviceSlot> devices)
    {
        if (devices.Count == 0) throw new ArgumentException("no devices", nameof(devices));
        var groups = jobs.GroupBy(j => j.Model.Name)
            .Select(g => g.OrderByDescending(JobMatrix.Cost).ToList())
            .ToList();
        while (groups.Count < devices.Count)
        {
            var largest = groups.Where(g => g.Count > 1).OrderByDescending(g => g.Sum(JobMatrix.Cost)).FirstOrDefault();
            if (largest is null) break;
            groups.Remove(largest);
            // Alternate the (sorted) jobs so both halves get a fair share of long and short ones.
            groups.Add(largest.Where((_, i) => i % 2 == 0).ToList());
            groups.Add(largest.Where((_, i) => i % 2 == 1).ToList());
        }

        var load = new double[devices.Count];
        var units = devices.Select(_ => new List<WorkUnit>()).ToArray();
        foreach (var group in groups.OrderByDescending(g => g.Sum(JobMatrix.Cost)))
        {
            var target = Array.IndexOf(load, load.Min());
            var device = devices[target];
            units[target].Add(new WorkUnit(device, group.Select(j => j with { Device = device.Name }).ToList()));
            load[target] += group.Sum(JobMatrix.Cost);
        }
        return devices.Select((d, i) => new DeviceQueue(d, units[i])).ToList();
    }
}
