namespace HierReason.Engine.Checkpoints;

/// <summary>One tensor's entry in a safetensors header: dtype name, shape and byte range within the data section.</summary>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public long ByteCount => End - Begin;
}
