using static TorchSharp.torch;

namespace HierReason.Engine.Checkpoints;

/// <summary>Maps safetensors dtype names ("F32", "BF16", …) to torch scalar types and element sizes.</summary>
public static class SafeTensorDType
{
    /// <summary>The torch type and byte size of a safetensors dtype, or null when this engine cannot read it.</summary>
    public static (ScalarType Type, int Size)? Lookup(string dtype) => dtype switch
    {
        "F32" => (ScalarType.Float32, 4),
        "F16" => (ScalarType.Float16, 2),
        "BF16" => (ScalarType.BFloat16, 2),
        "F64" => (ScalarType.Float64, 8),
        "I64" => (ScalarType.Int64, 8),
        "I32" => (ScalarType.Int32, 4),
        "I16" => (ScalarType.Int16, 2),
        "I8" => (ScalarType.Int8, 1),
        "U8" => (ScalarType.Byte, 1),
        "BOOL" => (ScalarType.Bool, 1),
        _ => null,
    };

    /// <summary>The safetensors name of a torch scalar type.</summary>
    public static string Name(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no safetensors dtype"),
    };

    public static int Size(ScalarType type) => Lookup(Name(type))!.Value.Size;
}
