using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using static TorchSharp.torch;

namespace HierReason.Training.Runs;

/// <summary>What a run's throughput is divided by: the device's matmul rate in the model's dtype, measured at the end of the run on the same threads, and the machine's load then.</summary>
internal static class RunBaseline
{
    /// <summary>Best 1024³ matmul rate of <paramref name="model"/>'s device and dtype (bfloat16 when the model computes in it, else float32).</summary>
    public static double MatmulFlopsPerSecond(CausalLM model)
    {
        var bfloat16 = model.DType == ScalarType.BFloat16;
        var baseline = MachineBaseline.Measure(model.Device, new BaselineSettings(MatmulSize: 1024, CopyBytes: 16L << 20, Repeats: 3, BFloat16: bfloat16));
        return baseline.MatmulFlopsPerSecond(bfloat16);
    }

    /// <summary>/proc/loadavg (Linux), so a summary says how busy the machine was.</summary>
    public static string? LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null; }
        catch (IOException) { return null; }
    }
}
