using System.Diagnostics;
using System.Globalization;
using HierReason.Core;

namespace HierReason.Harness.Scheduling;

/// <summary>Which devices a benchmark runs on: <c>--gpus 0,1</c>, else the GPUs nvidia-smi lists, else CPU slots.</summary>
public static class DeviceDiscovery
{
    /// <param name="gpus">The --gpus value (comma-separated indices), or null.</param>
    /// <param name="cpuSlots">CPU slots when there is no GPU.</param>
    /// <param name="listGpus">GPU indices present (default: nvidia-smi); null when it cannot tell.</param>
    public static IReadOnlyList<DeviceSlot> Resolve(string? gpus, int cpuSlots, Func<IReadOnlyList<int>?>? listGpus = null)
    {
        if (cpuSlots < 1) throw new HierReasonException($"--cpu-slots: expected a positive integer; found {cpuSlots}");
        if (!string.IsNullOrWhiteSpace(gpus))
        {
            var indices = new List<int>();
            foreach (var part in gpus.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    throw new HierReasonException($"--gpus: expected comma-separated GPU indices such as 0,1,2; found '{gpus}'");
                if (indices.Contains(index)) throw new HierReasonException($"--gpus: GPU {index} is listed twice");
                indices.Add(index);
            }
            return indices.Select(DeviceSlot.Gpu).ToList();
        }
        var found = (listGpus ?? NvidiaSmi)();
        if (found is { Count: > 0 }) return found.Select(DeviceSlot.Gpu).ToList();
        return Enumerable.Range(0, cpuSlots).Select(DeviceSlot.Cpu).ToList();
    }

    /// <summary>GPU indices from <c>nvidia-smi --query-gpu=index --format=csv,noheader</c>; null when it is not on PATH or fails.</summary>
    public static IReadOnlyList<int>? NvidiaSmi()
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "nvidia-smi.exe" : "nvidia-smi"))
            .FirstOrDefault(File.Exists);
        if (path is null) return null;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, ["--query-gpu=index", "--format=csv,noheader"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0) return null;
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1)
                .Where(i => i >= 0)
                .ToList();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
