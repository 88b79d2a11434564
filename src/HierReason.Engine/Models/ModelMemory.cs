using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>
/// The memory a model's weights take, checked against the memory the machine has before anything is allocated: a config
/// within <see cref="ModelLimits"/> can still describe a terabyte model, and allocating it gets the whole machine's
/// processes killed instead of a message.
/// </summary>
public static class ModelMemory
{
    /// <summary>Bytes of the weights of <paramref name="config"/> in <paramref name="dtype"/>.</summary>
    public static long WeightBytes(ModelConfig config, ScalarType dtype) =>
        config.ParameterCount() * (dtype == ScalarType.Float32 ? 4 : 2);

    /// <summary>
    /// Memory a new allocation can get now: /proc/meminfo's MemAvailable where there is one, capped by the runtime's view
    /// of the machine or container limit; null when neither is known.
    /// </summary>
    public static long? AvailableBytes()
    {
        long? available = null;
        try
        {
            if (File.Exists("/proc/meminfo"))
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                    var kb = line["MemAvailable:".Length..].Trim().Split(' ')[0];
                    if (long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var k)) available = k * 1024;
                    break;
                }
            }
        }
        catch (IOException)
        {
            // No meminfo: the runtime's figure below is all there is.
        }
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (total > 0) available = available is { } a ? Math.Min(a, total) : total;
        return available;
    }

    /// <summary>
    /// Refuses, naming <paramref name="configFile"/> and its size fields, a model whose weights would not fit in the memory
    /// available (<paramref name="availableBytes"/>, default <see cref="AvailableBytes"/>). Only CPU models are checked: GPU
    /// weights are staged one tensor at a time, and their device memory is the driver's to report.
    /// </summary>
    public static void EnsureFits(ModelConfig config, DeviceSpec device, string configFile, long? availableBytes = null)
    {
        if (device.Type != DeviceType.CPU) return;
        var needed = WeightBytes(config, device.DType);
        if ((availableBytes ?? AvailableBytes()) is not { } available || needed <= available) return;
        throw new EngineException(string.Create(CultureInfo.InvariantCulture,
            $"{configFile}: the model's weights need {Gib(needed)} GiB in {DeviceSpec.DTypeName(device.DType)} ({config.ParameterCount():N0} parameters from " +
            $"vocab_size {config.VocabSize}, hidden_size {config.HiddenSize}, intermediate_size {config.IntermediateSize}, num_hidden_layers {config.NumHiddenLayers}); " +
            $"expected a model that fits the {Gib(available)} GiB of memory available"));
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F1", CultureInfo.InvariantCulture);
}
