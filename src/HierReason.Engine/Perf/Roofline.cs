namespace HierReason.Engine.Perf;

/// <summary>The roofline lower bound on a step's time: it can go no faster than its compute or its memory traffic allows.</summary>
public static class Roofline
{
    /// <summary>Seconds at least: max(flops / matmul rate, bytes / bandwidth).</summary>
    public static double Floor(double flops, double bytes, double flopsPerSecond, double bytesPerSecond)
    {
        if (flopsPerSecond <= 0 || bytesPerSecond <= 0)
            throw new ArgumentOutOfRangeException(nameof(flopsPerSecond), "Rates must be positive.");
        return Math.Max(flops / flopsPerSecond, bytes / bytesPerSecond);
    }

    /// <summary>Seconds at least on the measured machine, using its bfloat16 matmul rate when asked and measured.</summary>
    public static double Floor(double flops, double bytes, MachineBaseline baseline, bool bfloat16 = false) =>
        Floor(flops, bytes, baseline.MatmulFlopsPerSecond(bfloat16), baseline.CopyBytesPerSecond);

    /// <summary>Whether compute (rather than memory traffic) sets the floor.</summary>
    public static bool IsComputeBound(double flops, double bytes, double flopsPerSecond, double bytesPerSecond) =>
        flops / flopsPerSecond >= bytes / bytesPerSecond;
}
