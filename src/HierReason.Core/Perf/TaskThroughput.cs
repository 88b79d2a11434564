using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using HierReason.Core.Tasks;

namespace HierReason.Core.Perf;

/// <summary>
/// Measures single-thread task throughput: generate an item on the train split and score its gold
/// answer, after a warm-up. A fixed reference workload measured in the same run lets numbers from
/// different machines or runs be compared as ratios.
/// </summary>
public sealed class TaskThroughput
{
    public const string BaselineWorkload = "format a 64-char string from an integer and XxHash3 it";

    private const int BaselineOps = 200_000;

    public TaskThroughput(int items, TimeSpan? warmUp = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        Items = items;
        WarmUp = warmUp ?? TimeSpan.FromSeconds(0.5);
    }

    public int Items { get; }

    /// <summary>How long each task runs before it is measured.</summary>
    public TimeSpan WarmUp { get; }

    /// <summary>
    /// Measures the baseline, then each task; with <paramref name="anchor"/> (reasoning-gym measured in this run, on this
    /// machine) each task also gets its ratio to reasoning-gym.
    /// </summary>
    public ThroughputReport Run(IEnumerable<IReasoningTask> tasks, ReasoningGymAnchor? anchor = null, Action<string>? progress = null)
    {
        var baseline = MeasureBaseline();
        var results = new List<ThroughputResult>();
        foreach (var task in tasks)
        {
            progress?.Invoke(task.Name);
            results.Add(Measure(task, baseline.PerCpuSecond, anchor));
        }
        var provenance = anchor?.Provenance ?? "none: no reasoning-gym anchor of this run (pass --anchor FILE from build/perf/reasoning_gym_anchor.py)";
        return new ThroughputReport(MachineInfo.Current(), HostIdentity.Current(), Items, BaselineWorkload, baseline.PerSecond, baseline.PerCpuSecond,
            provenance, ReasoningGymAnchor.TargetRatio, results);
    }

    /// <summary>Measures one task; <paramref name="baselineOpsPerCpuSecond"/> is the reference workload's CPU-time rate.</summary>
    public ThroughputResult Measure(IReasoningTask task, double baselineOpsPerCpuSecond, ReasoningGymAnchor? anchor = null)
    {
        var config = task.DefaultConfig;
        // Warm-up on another seed, long enough for tiered JIT to reach optimised code.
        var warmed = 0;
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < WarmUp || warmed < 1_000)
        {
            if (GenerateAndScore(task, config, seed: -1 - warmed, 500) != 500)
                throw new InvalidOperationException($"{task.Name}: a gold answer did not score 1 during the warm-up");
            warmed += 500;
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var sink = GenerateAndScore(task, config, seed: 0, Items);
        watch.Stop();
        process.Refresh();
        var cpuSeconds = Math.Max((process.TotalProcessorTime - cpuBefore).TotalSeconds, 1e-9);
        if (sink != Items)
            throw new InvalidOperationException($"{task.Name}: a gold answer did not score 1 during the throughput run");

        var seconds = Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
        var rate = Items / seconds;
        var reference = anchor?.For(task.Name);
        // Both sides are rates per CPU-second of the one thread that did the work: on an idle machine that equals the
        // wall-clock rate, on a shared one it does not count the time other processes held the core.
        double? ratio = reference is double r ? Items / cpuSeconds / r : null;
        bool? meets = ratio is double x ? x >= ReasoningGymAnchor.TargetRatio : null;
        return new ThroughputResult(task.Name, Items, seconds, rate, cpuSeconds, Items / cpuSeconds, reference, ratio, meets, Items / cpuSeconds / baselineOpsPerCpuSecond);
    }

    private static double GenerateAndScore(IReasoningTask task, TaskConfig config, long seed, int count)
    {
        var total = 0.0;
        for (var i = 0; i < count; i++)
        {
            var item = task.Generate(config, Split.Train, seed, i);
            total += task.Score(item.Answer, item);
        }
        return total;
    }

    /// <summary>
    /// Operations per wall second and per CPU second of the reference workload, each the best of
    /// three runs to shed noise from other processes.
    /// </summary>
    public (double PerSecond, double PerCpuSecond) MeasureBaseline()
    {
        var sink = 0UL;
        var warmUp = Stopwatch.StartNew();
        do sink ^= RunBaseline(BaselineOps / 10);
        while (warmUp.Elapsed < WarmUp);
        var (best, bestCpu) = (0.0, 0.0);
        using var process = Process.GetCurrentProcess();
        for (var run = 0; run < 3; run++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            sink ^= RunBaseline(BaselineOps);
            watch.Stop();
            process.Refresh();
            best = Math.Max(best, BaselineOps / Math.Max(watch.Elapsed.TotalSeconds, 1e-9));
            bestCpu = Math.Max(bestCpu, BaselineOps / Math.Max((process.TotalProcessorTime - cpuBefore).TotalSeconds, 1e-9));
        }
        GC.KeepAlive(sink); // the hashes are used, so the work cannot be optimised away
        return (best, bestCpu);
    }

    private static ulong RunBaseline(int ops)
    {
        ulong acc = 0;
        for (var i = 0; i < ops; i++)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"reference-{i:D12}-payload-{i * 7919L:D16}-{i % 97:D4}-end").PadRight(64, '.');
            acc ^= XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
        }
        return acc;
    }
}
