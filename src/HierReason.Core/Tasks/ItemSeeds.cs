using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace HierReason.Core.Tasks;

/// <summary>
/// Derives an item's seed by hashing (task, split, seed, index), so item i does not depend on the
/// dataset size and adjacent seeds give unrelated items (unlike seed + i schemes).
/// </summary>
public static class ItemSeeds
{
    public static ulong Derive(string task, Split split, long seed, long index)
    {
        Span<byte> buffer = stackalloc byte[256];
        var nameBytes = Encoding.UTF8.GetByteCount(task);
        if (nameBytes > buffer.Length - 24) buffer = new byte[nameBytes + 24];
        var n = Encoding.UTF8.GetBytes(task, buffer);
        buffer[n] = 0; // separator: no name is a prefix-collision of another
        buffer[n + 1] = (byte)split;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[(n + 2)..], seed);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[(n + 10)..], index);
        return XxHash3.HashToUInt64(buffer[..(n + 18)]);
    }

    /// <summary>
    /// The split a question belongs to. Splits partition the question space by a hash of the
    /// question text: train takes half of it, validation and test a quarter each.
    /// </summary>
    public static Split SplitOf(ReadOnlySpan<char> question)
    {
        var h = XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(question), 0x5EED5EED);
        return (h & 3) switch
        {
            0 or 1 => Split.Train,
            2 => Split.Validation,
            _ => Split.Test,
        };
    }
}
