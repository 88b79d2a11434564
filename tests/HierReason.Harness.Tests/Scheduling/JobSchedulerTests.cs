using HierReason.Core;
using HierReason.Harness.Scheduling;

namespace HierReason.Harness.Tests.Scheduling;

public sealed class JobSchedulerTests
{
    private static readonly IReadOnlyList<DeviceSlot> FourGpus = [DeviceSlot.Gpu(0), DeviceSlot.Gpu(1), DeviceSlot.Gpu(2), DeviceSlot.Gpu(3)];

    [Fact]
    public void Each_schedule_prints_as_the_flag_spells_it_and_parses_back()
    {
        Assert.Equal("round-robin", JobScheduler.Name(ScheduleKind.RoundRobin));
        Assert.Equal("affinity", JobScheduler.Name(ScheduleKind.Affinity));
        foreach (var kind in Enum.GetValues<ScheduleKind>()) Assert.Equal(kind, JobScheduler.Parse(JobScheduler.Name(kind)));
    }

    [Fact]
    public void Round_robin_puts_16_jobs_on_4_devices_4_each_in_order()
    {
        var jobs = Enumerable.Range(0, 16).Select(i => TestJobs.Job("t" + i, "m")).ToList();

        var queues = JobScheduler.RoundRobin(jobs, FourGpus);

        Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:3"], queues.Select(q => q.Device.Name));
        for (var d = 0; d < 4; d++)
        {
            Assert.Equal([$"t{d}", $"t{d + 4}", $"t{d + 8}", $"t{d + 12}"], queues[d].Jobs.Select(j => j.Task));
            Assert.All(queues[d].Jobs, j => Assert.Equal($"cuda:{d}", j.Device));
            Assert.All(queues[d].Units, u => Assert.Single(u.Jobs));
        }
    }

    [Fact]
    public void Affinity_keeps_each_model_on_one_device_in_one_worker_longest_job_first()
    {
        var jobs = new[] { "a", "b", "c", "d" }
            .SelectMany(m => new[] { 50, 400, 100, 200 }.Select((n, i) => TestJobs.Job("t" + i, m, n: n)))
            .ToList();

        var queues = JobScheduler.Affinity(jobs, FourGpus);

        Assert.All(queues, q =>
        {
            var unit = Assert.Single(q.Units);
            Assert.Single(unit.Jobs.Select(j => j.Model.Name).Distinct());
            Assert.Equal([400, 200, 100, 50], unit.Jobs.Select(j => j.N));
            Assert.All(unit.Jobs, j => Assert.Equal(q.Device.Name, j.Device));
        });
        Assert.Equal(["a", "b", "c", "d"], queues.Select(q => q.Units[0].Model).Order());
    }

    [Fact]
    public void Affinity_splits_a_model_over_idle_devices_when_there_are_fewer_models_than_devices()
    {
        var jobs = Enumerable.Range(0, 8).Select(i => TestJobs.Job("t" + i, "only")).ToList();

        var queues = JobScheduler.Affinity(jobs, FourGpus);

        Assert.All(queues, q => Assert.Equal(2, q.Jobs.Count()));
        Assert.Equal(8, queues.SelectMany(q => q.Jobs).Select(j => j.Task).Distinct().Count());
    }

    [Fact]
    public void Affinity_balances_unequal_models_longest_first_onto_the_least_loaded_device()
    {
        var jobs = new List<Core.Results.EvalJob>();
        jobs.AddRange(Enumerable.Range(0, 3).Select(i => TestJobs.Job("big" + i, "big", n: 300)));
        jobs.AddRange(Enumerable.Range(0, 2).Select(i => TestJobs.Job("mid" + i, "mid", n: 200)));
        jobs.AddRange(Enumerable.Range(0, 2).Select(i => TestJobs.Job("small" + i, "small", n: 100)));

        var queues = JobScheduler.Affinity(jobs, [DeviceSlot.Cpu(0), DeviceSlot.Cpu(1)]);

        // big (900) → cpu:0; mid (400) → cpu:1; small (200) → cpu:1 (600 < 900).
        Assert.Equal(["big"], queues[0].Units.Select(u => u.Model));
        Assert.Equal(["mid", "small"], queues[1].Units.Select(u => u.Model));
    }

    [Fact]
    public void Devices_come_from_gpus_option_else_listed_gpus_else_cpu_slots()
    {
        Assert.Equal(["cuda:2", "cuda:0"], DeviceDiscovery.Resolve("2,0", 1, () => [7]).Select(d => d.Name));
        Assert.Equal("2", DeviceDiscovery.Resolve("2", 1).Single().CudaVisibleDevices);
        Assert.Equal(["cuda:0", "cuda:1"], DeviceDiscovery.Resolve(null, 3, () => [0, 1]).Select(d => d.Name));
        Assert.Equal(["cpu:0", "cpu:1", "cpu:2"], DeviceDiscovery.Resolve(null, 3, () => null).Select(d => d.Name));
        Assert.All(DeviceDiscovery.Resolve(null, 2, () => []), d => Assert.Null(d.CudaVisibleDevices));
        Assert.Throws<HierReasonException>(() => DeviceDiscovery.Resolve("0,x", 1));
        Assert.Throws<HierReasonException>(() => DeviceDiscovery.Resolve("1,1", 1));
        Assert.Throws<HierReasonException>(() => DeviceDiscovery.Resolve(null, 0, () => null));
    }
}
