using System.Diagnostics;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Perf;

/// <summary>
/// The measurements behind <c>hierreason perf generate</c>, all in one run on one device: the machine baseline, then prefill
/// and decode throughput of random-weight models against their roofline floors, KV cache against none, and peak memory.
/// </summary>
public static class GenerateBenchmark
{
    /// <summary>Runs every measurement <paramref name="settings"/> asks for on <paramref name="device"/> (default CPU).</summary>
    /// <param name="progress">Told what is being measured next, for a progress display.</param>
    public static GenerateBenchmarkResult Run(GenerateBenchmarkSettings? settings = null, Device? device = null, Action<string>? progress = null)
    {
        settings ??= new GenerateBenchmarkSettings();
        settings.Validate();
        device ??= CPU;
        var threads = get_num_threads();
        if (settings.Threads is { } wanted) set_num_threads(wanted);
        try
        {
            return Measure(settings, device, progress);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static GenerateBenchmarkResult Measure(GenerateBenchmarkSettings settings, Device device, Action<string>? progress)
    {
        var total = Stopwatch.StartNew();
        progress?.Invoke("machine baseline");
        var baseline = MachineBaseline.Measure(device, settings.Baseline);

        var models = settings.IncludeQwen05B ? new[] { BenchmarkedModel.Tiny, BenchmarkedModel.Qwen25HalfB } : [BenchmarkedModel.Tiny];
        // Memory is reported for the largest model in its widest dtype: the case that decides whether a machine can run it.
        var memoryModel = models[^1];
        var memoryDType = settings.DTypes.Select(DeviceSpec.ParseDType).OrderByDescending(t => t == ScalarType.Float32).First();
        var throughput = new List<ThroughputMeasurement>();
        var caches = new List<KvCacheComparison>();
        var memory = new List<MemoryMeasurement>();
        foreach (var benchmarked in models)
        {
            foreach (var dtype in settings.DTypes.Select(DeviceSpec.ParseDType))
            {
                var measureMemory = benchmarked == memoryModel && dtype == memoryDType;
                var rssBefore = ProcessMemory.Resident();
                progress?.Invoke($"{benchmarked.Name} {DeviceSpec.DTypeName(dtype)}: creating random weights");
                using var model = TinyModelFactory.Create(benchmarked.Config, settings.Seed, new DeviceSpec(device.type, device.index, dtype));
                model.eval();
                var rssWithModel = ProcessMemory.Resident();
                // Random initialisation holds float32 copies a loaded checkpoint would not; the peak should be inference's own.
                var peakReset = measureMemory && ProcessMemory.TryResetPeak();
                var timer = new DecodeTimer(model, settings.Repeats, settings.SecondsPerMeasurement, settings.Seed);
                var costs = new StepCosts(benchmarked, dtype, baseline);

                progress?.Invoke($"{benchmarked.Name} {DeviceSpec.DTypeName(dtype)}: prefill {settings.PrefillBatch}×{settings.PrefillTokens}");
                var (prefillSeconds, prefillRuns) = timer.Prefill(settings.PrefillBatch, settings.PrefillTokens);
                throughput.Add(costs.Prefill(settings.PrefillBatch, settings.PrefillTokens, prefillSeconds, prefillRuns));
                foreach (var batch in settings.DecodeBatches)
                {
                    progress?.Invoke($"{benchmarked.Name} {DeviceSpec.DTypeName(dtype)}: decode batch {batch}");
                    var kernels = SmallBatchLinear.Applies(batch, dtype) && SmallBatchLinear.HasLargeWeights(model) ? "avx512" : "torch";
                    var (seconds, runs) = timer.Decode(batch, settings.DecodePromptTokens, settings.DecodeSteps);
                    throughput.Add(costs.Decode(batch, settings.DecodePromptTokens, settings.DecodeSteps, seconds, runs) with { Kernels = kernels });
                    if (kernels == "avx512" && settings.CompareKernels)
                    {
                        progress?.Invoke($"{benchmarked.Name} {DeviceSpec.DTypeName(dtype)}: decode batch {batch}, libtorch's kernels");
                        SmallBatchLinear.Enabled = false;
                        try
                        {
                            var (torchSeconds, torchRuns) = timer.Decode(batch, settings.DecodePromptTokens, settings.DecodeSteps);
                            throughput.Add(costs.Decode(batch, settings.DecodePromptTokens, settings.DecodeSteps, torchSeconds, torchRuns));
                        }
                        finally
                        {
                            SmallBatchLinear.Enabled = true;
                        }
                    }
                }

                if (benchmarked == BenchmarkedModel.Tiny && dtype == DeviceSpec.ParseDType(settings.DTypes[0]))
                {
                    progress?.Invoke($"{benchmarked.Name}: {settings.CacheComparisonTokens} tokens with and without KV cache");
                    caches.Add(CompareCache(timer, benchmarked.Name, DeviceSpec.DTypeName(dtype), settings));
                }

                if (measureMemory)
                {
                    var kvBytes = (long)Math.Max(
                        DecoderCost.KvCacheBytes(costs.Shape, settings.PrefillTokens, settings.PrefillBatch, costs.ElementBytes),
                        DecoderCost.KvCacheBytes(costs.Shape, settings.DecodePromptTokens + settings.DecodeSteps, settings.DecodeBatches.Max(), costs.ElementBytes));
                    var modelBytes = model.parameters().Sum(p => p.numel() * p.ElementSize);
                    memory.Add(new MemoryMeasurement(benchmarked.Name, DeviceSpec.DTypeName(dtype), modelBytes, kvBytes, rssBefore, rssWithModel, ProcessMemory.Peak(), peakReset));
                }
            }
        }

        return new GenerateBenchmarkResult(device.ToString(), get_num_threads(), SmallBatchLinear.Describe(), baseline, throughput, caches, memory, settings, total.Elapsed.TotalSeconds);
    }

    private static KvCacheComparison CompareCache(DecodeTimer timer, string model, string dtype, GenerateBenchmarkSettings settings)
    {
        var prompt = timer.RandomPrompt(settings.CacheComparisonPromptTokens);
        var newTokens = settings.CacheComparisonTokens;
        timer.GreedyWithCache(prompt, Math.Min(newTokens, 4));                                   // warm-up
        var (withSeconds, withTokens) = timer.GreedyWithCache(prompt, newTokens);
        var (withoutSeconds, withoutTokens) = timer.GreedyWithoutCache(prompt, newTokens);
        return new KvCacheComparison(model, dtype, prompt.Length, newTokens, withSeconds, withoutSeconds,
            withoutSeconds / withSeconds, withTokens.SequenceEqual(withoutTokens));
    }
}
