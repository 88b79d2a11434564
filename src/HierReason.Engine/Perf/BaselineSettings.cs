namespace HierReason.Engine.Perf;

/// <summary>How many times each measurement runs and how big it is.</summary>
/// <param name="MatmulSize">n of the n×n by n×n matmul (2n³ FLOPs).</param>
/// <param name="CopyBytes">Size of the tensor copied to measure bandwidth.</param>
/// <param name="Repeats">Timed runs; the best is kept.</param>
/// <param name="BFloat16">Whether to measure the bfloat16 matmul too.</param>
public sealed record BaselineSettings(int MatmulSize = 2048, long CopyBytes = 256L << 20, int Repeats = 5, bool BFloat16 = true);
