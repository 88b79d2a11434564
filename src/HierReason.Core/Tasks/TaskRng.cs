using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace HierReason.Core.Tasks;

/// <summary>
/// A small, fast, seedable generator (xoshiro256**) whose stream is fixed by its seed on every
/// platform and runtime version, so an item is the same wherever it is generated.
/// </summary>
public sealed class TaskRng
{
    private ulong _s0, _s1, _s2, _s3;

    public TaskRng(ulong seed)
    {
        // SplitMix64 expands the seed into the four words of state.
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // Tasks draw dozens of numbers an item: the draws are inlined into them (the error path is kept out of line).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [minInclusive, maxInclusive] (both ends included, as in Python's randint).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Int(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive) ThrowEmptyRange(minInclusive, maxInclusive);
        var span = (ulong)((long)maxInclusive - minInclusive + 1);
        // Lemire's multiply-shift; the bias is below 2^-32 for the spans tasks use.
        var r = (ulong)(((UInt128)NextUInt64() * span) >> 64);
        return (int)((long)minInclusive + (long)r);
    }

    /// <summary>A uniform 64-bit integer in [minInclusive, maxInclusive].</summary>
    public long Long(long minInclusive, long maxInclusive)
    {
        if (maxInclusive < minInclusive) ThrowEmptyRange(minInclusive, maxInclusive);
        var span = (UInt128)(maxInclusive - minInclusive) + 1;
        var r = (ulong)((NextUInt64() * span) >> 64);
        return minInclusive + (long)r;
    }

    [DoesNotReturn]
    private static void ThrowEmptyRange(long minInclusive, long maxInclusive)
        => throw new ArgumentException($"empty range [{minInclusive}, {maxInclusive}]");

    /// <summary>A uniform double in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Bool(double pTrue = 0.5) => NextDouble() < pTrue;

    public T Choice<T>(IReadOnlyList<T> items)
    {
        if (items.Count == 0) throw new ArgumentException("cannot choose from an empty list");
        return items[Int(0, items.Count - 1)];
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Int(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>k distinct elements in random order.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int k)
    {
        if (k > items.Count) throw new ArgumentException($"cannot sample {k} of {items.Count}");
        var pool = new List<T>(items);
        for (var i = 0; i < k; i++)
        {
            var j = Int(i, pool.Count - 1);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        pool.RemoveRange(k, pool.Count - k);
        return pool;
    }
}
