using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>Where a model runs and in which floating-point type, parsed from user strings such as "cuda:1" and "bfloat16".</summary>
public sealed record DeviceSpec(DeviceType Type, int Index, ScalarType DType)
{
    /// <summary>CPU, float32: the only combination every machine can run.</summary>
    public static DeviceSpec Cpu { get; } = new(DeviceType.CPU, -1, ScalarType.Float32);

    public Device Device => new(Type, Index);

    /// <summary>Parses "cpu", "cuda" or "cuda:N" and "float32" | "bfloat16" | "float16" (HF spellings "fp32", "bf16", "fp16" accepted).</summary>
    public static DeviceSpec Parse(string device, string dtype = "float32") =>
        new(ParseDeviceType(device, out var index), index, ParseDType(dtype));

    /// <summary>The device type and index of "cpu", "cuda" or "cuda:N".</summary>
    public static DeviceType ParseDeviceType(string device, out int index)
    {
        var text = device.Trim().ToLowerInvariant();
        index = -1;
        if (text == "cpu") return DeviceType.CPU;
        if (text == "cuda") return DeviceType.CUDA;
        if (text.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(5), System.Globalization.NumberStyles.None, null, out var n))
        {
            index = n;
            return DeviceType.CUDA;
        }
        throw new EngineException($"device '{device}': expected \"cpu\", \"cuda\" or \"cuda:N\" (N a GPU index)");
    }

    /// <summary>The torch scalar type of a dtype name as written in config.json or on a command line.</summary>
    public static ScalarType ParseDType(string dtype) => dtype.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "float" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "half" => ScalarType.Float16,
        _ => throw new EngineException($"dtype '{dtype}': expected \"float32\", \"bfloat16\" or \"float16\""),
    };

    /// <summary>The config.json spelling of a floating-point scalar type.</summary>
    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a model dtype"),
    };

    /// <summary>Fails early, with a message a user can act on, when CUDA is asked for but absent.</summary>
    public void EnsureAvailable()
    {
        if (Type == DeviceType.CUDA)
        {
            if (!cuda.is_available())
                throw new EngineException($"device '{this}': CUDA is not available (this build or machine has no GPU backend)");
            if (Index >= cuda.device_count())
                throw new EngineException($"device '{this}': only {cuda.device_count()} CUDA device(s) present");
        }
    }

    public override string ToString() =>
        (Type == DeviceType.CPU ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}") + "/" + DTypeName(DType);
}
