using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>
/// <c>linear(x, W, b)</c> on the CPU for the few rows of a decode step, in AVX-512 code of our own, where libtorch's
/// kernels are weakest (<c>hierreason perf generate</c> times both in one run; docs/PERFORMANCE.md): float32 with
/// 1–16 rows, and bfloat16 with one row. libtorch's float32 GEMM packs the (N, K) weight on every call, so 8 rows
/// stream it at about a third of copy bandwidth; its bfloat16 GEMV streams a large weight at 10 GB/s. Here the weight is
/// read once, in place (no repacking, no copy), four weight rows against four input rows at a time, prefetching the
/// weight rows 32 ahead into L2.
/// </summary>
/// <remarks>
/// Every output element is one float32 accumulator over K in steps of 16, summed across lanes at the end, whichever
/// tile computed it: a row's result does not depend on how many rows share the call (batch-invariant within 1–16 rows).
/// It differs from libtorch's result by float32 rounding (relative 1e-6). Used only with gradients off or for tensors
/// that need none; <c>HIERREASON_CPU_KERNELS=torch</c> or <see cref="Enabled"/> = false turns it off.
/// </remarks>
public static class SmallBatchLinear
{
    /// <summary>The most rows (product of the leading dimensions) the float32 kernel takes; more go to libtorch.</summary>
    public const int MaxRows = 16;

    /// <summary>
    /// Weights with fewer elements stay with libtorch: they sit in cache, where its kernels are quick and its call
    /// overhead lower (the tiny model's 192-wide layers ran 1.5× slower here at batch 1).
    /// </summary>
    public const long MinWeightElements = 1 << 18;

    /// <summary>
    /// How far ahead the tiles prefetch weight rows, into L2 (prefetcht1): a 4-row block 32 rows ahead. Into L1 one block
    /// ahead, 8 rows streamed the 545 MB embedding at 10-11 GB/s; into L2 32 rows ahead at 19-21 GB/s (the L1 miss
    /// buffers cannot cover DRAM latency at this loop's pace; measured on a Zen 4 EPYC, 1 thread).
    /// </summary>
    private const long PrefetchRows = 32;

    /// <summary>Whether the kernels may be used (process-wide); starts false when HIERREASON_CPU_KERNELS=torch.</summary>
    public static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("HIERREASON_CPU_KERNELS"), "torch", StringComparison.OrdinalIgnoreCase);

    /// <summary>True on a CPU whose AVX-512 the JIT uses (else every call goes to libtorch).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>What <see cref="TryForward"/> takes: "avx512" or "torch" (with the reason).</summary>
    public static string Describe() =>
        !IsSupported ? "torch (no AVX-512 on this CPU)" : Enabled ? "avx512 (float32 1-16 rows, bfloat16 1 row)" : "torch (turned off)";

    /// <summary>Whether a decode step of <paramref name="rows"/> sequences in <paramref name="dtype"/> runs its large projections here.</summary>
    public static bool Applies(long rows, ScalarType dtype) =>
        Enabled && IsSupported && rows >= 1 && rows <= (dtype == ScalarType.Float32 ? MaxRows : dtype == ScalarType.BFloat16 ? 1 : 0);

    /// <summary>Whether any 2-D weight of <paramref name="module"/> is large enough for the kernels.</summary>
    public static bool HasLargeWeights(nn.Module module) =>
        module.parameters().Any(p => p.dim() == 2 && p.size(0) * p.size(1) >= MinWeightElements && p.size(1) % 16 == 0);

    /// <summary>The kernel's <c>linear(x, weight, bias)</c> (x: (..., K), weight: (N, K)), or null where libtorch should run it.</summary>
    public static Tensor? TryForward(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!Enabled || !IsSupported) return null;
        // Size checks first, through size(d): `shape` allocates an array per call, and these checks run for every
        // projection of every forward (measured: 200,000 calls grew a process's resident memory by 50-70 MB).
        if (weight.dim() != 2) return null;
        var (n, k) = (weight.size(0), weight.size(1));
        if (k % 16 != 0 || n * k < MinWeightElements || x.dim() < 1 || x.size(-1) != k) return null;
        var dtype = x.dtype;
        if (weight.dtype != dtype || (dtype != ScalarType.Float32 && dtype != ScalarType.BFloat16)) return null;
        if (bias is not null && bias.dtype != dtype) return null;
        if (x.device_type != DeviceType.CPU || weight.device_type != DeviceType.CPU || !weight.is_contiguous()) return null;
        if (is_grad_enabled() && (x.requires_grad || weight.requires_grad || (bias?.requires_grad ?? false))) return null;
        // The data is reached through TorchSharp's byte span, which is int-sized.
        if (n * k * weight.element_size() > int.MaxValue) return null;
        var rows = x.numel() / k;
        if (!Applies(rows, dtype)) return null;

        // Few tensors and no dispose scope: this runs per projection per step.
        var shape = new long[x.dim()];
        for (var d = 0; d < shape.Length - 1; d++) shape[d] = x.size(d);
        shape[^1] = n;
        var bf16 = dtype == ScalarType.BFloat16;
        var x32 = bf16 || !x.is_contiguous() ? Float32Contiguous(x) : null;                     // (..., K)
        var y = empty(shape, dtype: ScalarType.Float32);                                       // (..., N)
        try
        {
            unsafe
            {
                fixed (byte* xb = (x32 ?? x).bytes, wb = weight.bytes, yb = y.bytes)
                {
                    var (m, kk, nn) = ((int)rows, (int)k, (int)n);
                    if (get_num_threads() <= 1) Run(bf16, (nint)xb, (nint)wb, (nint)yb, m, kk, nn, 0, nn);
                    else RunParallel(bf16, (nint)xb, (nint)wb, (nint)yb, m, kk, nn);
                }
            }
            if (bias is not null)
            {
                if (bf16)
                {
                    using var bias32 = bias.to(ScalarType.Float32);
                    y.add_(bias32);
                }
                else y.add_(bias);
            }
            if (!bf16) return y;
            using (y) return y.to(dtype);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            x32?.Dispose();
        }
    }

    private static Tensor Float32Contiguous(Tensor x)
    {
        var converted = x.to(ScalarType.Float32);
        if (converted.is_contiguous()) return converted;
        using (converted) return converted.contiguous();
    }

    private static unsafe void Run(bool bf16, nint x, nint w, nint y, int m, int k, int n, int from, int to)
    {
        if (bf16) Bf16Row((float*)x, (ushort*)w, (float*)y, k, from, to);
        else Float32Rows((float*)x, (float*)w, (float*)y, m, k, n, from, to);
    }

    /// <summary>The output columns split across libtorch's intra-op thread count (chunks of whole 4-column blocks).</summary>
    private static void RunParallel(bool bf16, nint x, nint w, nint y, int m, int k, int n)
    {
        var threads = get_num_threads();
        if ((long)n * k < 1 << 18) { Run(bf16, x, w, y, m, k, n, 0, n); return; }
        var chunk = (n / threads + 3) & ~3;
        Parallel.For(0, (n + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = threads },
            i => Run(bf16, x, w, y, m, k, n, i * chunk, Math.Min(n, (i + 1) * chunk)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Float32Rows(float* x, float* w, float* y, int m, int k, int n, int from, int to)
    {
        if (m == 1) { Float32Row(x, w, y, k, from, to); return; }
        var col = from;
        for (; col + 4 <= to; col += 4)
        {
            var block = w + (long)col * k;
            var row = 0;
            for (; row + 4 <= m; row += 4) Tile4x4(x + (long)row * k, block, y + (long)row * n + col, k, n);
            for (; row < m; row++) Tile1x4(x + (long)row * k, block, y + (long)row * n + col, k);
        }
        for (var row = 0; row < m; row++) Float32Row(x + (long)row * k, w, y + (long)row * n, k, col, to);
    }

    /// <summary>One input row against weight rows [from, to), read in order (the hardware prefetcher's best case).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Float32Row(float* x, float* w, float* y, int k, int from, int to)
    {
        for (var col = from; col < to; col++)
        {
            var wr = w + (long)col * k;
            var acc = Vector512<float>.Zero;
            for (var i = 0; i < k; i += 16) acc = Avx512F.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(wr + i), acc);
            y[col] = Vector512.Sum(acc);
        }
    }

    /// <summary>Four input rows against four weight rows: 16 accumulators, 8 loads per 16 FMAs; prefetches a block ahead (<see cref="PrefetchRows"/>).</summary>
    // Fully optimised from the first call: no tier-0 or on-stack-replacement code in the first decode steps.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4x4(float* x, float* w0, float* y, int k, int n)
    {
        float* w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        float* x1 = x + k, x2 = x1 + k, x3 = x2 + k;
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        for (var i = 0; i < k; i += 16)
        {
            var next = w0 + PrefetchRows * k + 4L * i;
            Sse.Prefetch1(next); Sse.Prefetch1(next + 16); Sse.Prefetch1(next + 32); Sse.Prefetch1(next + 48);
            var v0 = Vector512.Load(w0 + i); var v1 = Vector512.Load(w1 + i); var v2 = Vector512.Load(w2 + i); var v3 = Vector512.Load(w3 + i);
            var u = Vector512.Load(x + i);
            a00 = Avx512F.FusedMultiplyAdd(u, v0, a00); a01 = Avx512F.FusedMultiplyAdd(u, v1, a01);
            a02 = Avx512F.FusedMultiplyAdd(u, v2, a02); a03 = Avx512F.FusedMultiplyAdd(u, v3, a03);
            u = Vector512.Load(x1 + i);
            a10 = Avx512F.FusedMultiplyAdd(u, v0, a10); a11 = Avx512F.FusedMultiplyAdd(u, v1, a11);
            a12 = Avx512F.FusedMultiplyAdd(u, v2, a12); a13 = Avx512F.FusedMultiplyAdd(u, v3, a13);
            u = Vector512.Load(x2 + i);
            a20 = Avx512F.FusedMultiplyAdd(u, v0, a20); a21 = Avx512F.FusedMultiplyAdd(u, v1, a21);
            a22 = Avx512F.FusedMultiplyAdd(u, v2, a22); a23 = Avx512F.FusedMultiplyAdd(u, v3, a23);
            u = Vector512.Load(x3 + i);
            a30 = Avx512F.FusedMultiplyAdd(u, v0, a30); a31 = Avx512F.FusedMultiplyAdd(u, v1, a31);
            a32 = Avx512F.FusedMultiplyAdd(u, v2, a32); a33 = Avx512F.FusedMultiplyAdd(u, v3, a33);
        }
        y[0] = Vector512.Sum(a00); y[1] = Vector512.Sum(a01); y[2] = Vector512.Sum(a02); y[3] = Vector512.Sum(a03);
        y += n;
        y[0] = Vector512.Sum(a10); y[1] = Vector512.Sum(a11); y[2] = Vector512.Sum(a12); y[3] = Vector512.Sum(a13);
        y += n;
        y[0] = Vector512.Sum(a20); y[1] = Vector512.Sum(a21); y[2] = Vector512.Sum(a22); y[3] = Vector512.Sum(a23);
        y += n;
        y[0] = Vector512.Sum(a30); y[1] = Vector512.Sum(a31); y[2] = Vector512.Sum(a32); y[3] = Vector512.Sum(a33);
    }

    /// <summary>One input row against four weight rows (the rows left over by <see cref="Tile4x4"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile1x4(float* x, float* w0, float* y, int k)
    {
        float* w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (var i = 0; i < k; i += 16)
        {
            var next = w0 + PrefetchRows * k + 4L * i;
            Sse.Prefetch1(next); Sse.Prefetch1(next + 16); Sse.Prefetch1(next + 32); Sse.Prefetch1(next + 48);
            var u = Vector512.Load(x + i);
            a0 = Avx512F.FusedMultiplyAdd(u, Vector512.Load(w0 + i), a0); a1 = Avx512F.FusedMultiplyAdd(u, Vector512.Load(w1 + i), a1);
            a2 = Avx512F.FusedMultiplyAdd(u, Vector512.Load(w2 + i), a2); a3 = Avx512F.FusedMultiplyAdd(u, Vector512.Load(w3 + i), a3);
        }
        y[0] = Vector512.Sum(a0); y[1] = Vector512.Sum(a1); y[2] = Vector512.Sum(a2); y[3] = Vector512.Sum(a3);
    }

    /// <summary>One float32 input row against bfloat16 weight rows [from, to), widened to float32 in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Bf16Row(float* x, ushort* w, float* y, int k, int from, int to)
    {
        for (var col = from; col < to; col++)
        {
            var wr = w + (long)col * k;
            var acc = Vector512<float>.Zero;
            for (var i = 0; i < k; i += 16) acc = Avx512F.FusedMultiplyAdd(Vector512.Load(x + i), Widen(wr + i), acc);
            y[col] = Vector512.Sum(acc);
        }
    }

    /// <summary>16 bfloat16 values as float32: zero-extend each to 32 bits and shift into the high half (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Widen(ushort* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Vector256.Load(p)), 16).AsSingle();
}
