using System.Text.Json.Serialization;
using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Perf;

/// <summary>What a device can do at best: matmul throughput and memory bandwidth, measured with TorchSharp.</summary>
/// <param name="Device">The device measured, e.g. "cpu" or "cuda:1".</param>
/// <param name="Float32FlopsPerSecond">Best float32 matmul rate.</param>
/// <param name="BFloat16FlopsPerSecond">Best bfloat16 matmul rate, or null when not measured or not supported.</param>
/// <param name="CopyBytesPerSecond">Best copy bandwidth, counting bytes read plus bytes written.</param>
public sealed record MachineBaseline(string Device, double Float32FlopsPerSecond, [property: JsonPropertyName("bfloat16_flops_per_second")] double? BFloat16FlopsPerSecond, double CopyBytesPerSecond)
{
    /// <summary>The matmul rate for the dtype, falling back to float32 when bfloat16 was not measured.</summary>
    public double MatmulFlopsPerSecond(bool bfloat16) =>
        bfloat16 && BFloat16FlopsPerSecond is { } bf ? bf : Float32FlopsPerSecond;

    /// <summary>Measures the device; each figure is the best of <see cref="BaselineSettings.Repeats"/> runs after a warm-up.</summary>
    public static MachineBaseline Measure(Device device, BaselineSettings? settings = null)
    {
        settings ??= new BaselineSettings();
        if (settings.MatmulSize <= 0 || settings.CopyBytes < 4 || settings.Repeats <= 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings, "Sizes and repeats must be positive.");

        var f32 = MatmulRate(device, ScalarType.Float32, settings);
        double? bf16 = null;
        if (settings.BFloat16)
        {
            try
            {
                bf16 = MatmulRate(device, ScalarType.BFloat16, settings);
            }
            catch (ExternalException)
            {
                // Some devices (older GPUs, some CPU builds) have no bfloat16 matmul; the baseline says so with null.
            }
        }

        return new MachineBaseline(device.ToString(), f32, bf16, CopyRate(device, settings));
    }

    private static double MatmulRate(Device device, ScalarType dtype, BaselineSettings settings)
    {
        using var scope = NewDisposeScope();
        long n = settings.MatmulSize;
        var a = randn(n, n, dtype: dtype, device: device); // (n, n)
        var b = randn(n, n, dtype: dtype, device: device); // (n, n)
        var seconds = Best(device, settings.Repeats, () => a.mm(b)); // (n, n)
        return 2.0 * n * n * n / seconds;
    }

    private static double CopyRate(Device device, BaselineSettings settings)
    {
        using var scope = NewDisposeScope();
        var elements = settings.CopyBytes / sizeof(float);
        var source = ones(elements, dtype: ScalarType.Float32, device: device); // (N,)
        var target = empty(elements, dtype: ScalarType.Float32, device: device); // (N,)
        var seconds = Best(device, settings.Repeats, () => target.copy_(source));
        return 2.0 * elements * sizeof(float) / seconds;
    }

    // One untimed warm-up (allocator, kernel selection), then the fastest of the timed runs.
    private static double Best(Device device, int repeats, Func<Tensor> run)
    {
        var best = double.MaxValue;
        for (var i = -1; i < repeats; i++)
        {
            using var scope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            run();
            Synchronize(device);
            if (i >= 0)
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return Math.Max(best, 1e-9);
    }

    // CUDA kernels run asynchronously; without a sync the stopwatch would time only the launch.
    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
            torch.cuda.synchronize(device);
    }
}
