using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>
/// Keys and values of every layer for a batch of sequences, preallocated as (B, kvHeads, capacity, hd) and grown
/// when needed; <see cref="Expand"/> turns one prefilled prompt into n samples that share it.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public KvCache(ModelConfig config, long batchSize, long capacity, Device device, ScalarType dtype)
    {
        if (batchSize <= 0 || capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), "batch and capacity must be positive");
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype: dtype, device: device).DetachFromDisposeScope();
            _values[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype: dtype, device: device).DetachFromDisposeScope();
        }
        BatchSize = batchSize;
        Capacity = capacity;
    }

    private KvCache(Tensor[] keys, Tensor[] values, long length)
    {
        _keys = keys;
        _values = values;
        BatchSize = keys[0].shape[0];
        Capacity = keys[0].shape[2];
        Length = length;
    }

    /// <summary>
    /// A cache whose rows are <paramref name="rows"/> of already computed per-layer keys and values (each (U, kvh, P, hd)),
    /// with room for <paramref name="extraCapacity"/> more positions. Differentiable: gradients of what later reads the
    /// cache flow back to <paramref name="keys"/> and <paramref name="values"/>.
    /// </summary>
    public static KvCache FromRows(IReadOnlyList<Tensor> keys, IReadOnlyList<Tensor> values, Tensor rows, long extraCapacity)
    {
        if (keys.Count == 0 || keys.Count != values.Count) throw new ArgumentException("one key and one value tensor per layer", nameof(keys));
        if (rows.dim() != 1) throw new ArgumentException("rows must be a 1-D index tensor", nameof(rows));
        var length = keys[0].shape[2];
        Tensor Gather(Tensor t)
        {
            using var scope = NewDisposeScope();
            var selected = t.index_select(0, rows);                                                     // (B, kvh, P, hd)
            if (extraCapacity <= 0) return selected.MoveToOuterDisposeScope();
            var room = zeros([selected.shape[0], selected.shape[1], extraCapacity, selected.shape[3]], dtype: t.dtype, device: t.device);
            return cat([selected, room], dim: 2).MoveToOuterDisposeScope();                              // (B, kvh, P + extra, hd)
        }
        var k = keys.Select(t => Gather(t).DetachFromDisposeScope()).ToArray();
        var v = values.Select(t => Gather(t).DetachFromDisposeScope()).ToArray();
        return new KvCache(k, v, length);
    }

    /// <summary>Layer <paramref name="layer"/>'s filled keys and values, (B, kvh, Length, hd) views of the cache.</summary>
    public (Tensor Keys, Tensor Values) Filled(int layer) => (_keys[layer].narrow(2, 0, Length), _values[layer].narrow(2, 0, Length));

    public long BatchSize { get; private set; }
    /// <summary>Positions held per sequence (the same for all: padding fills the gaps).</summary>
    public long Length { get; private set; }
    public long Capacity { get; private set; }
    public int Layers => _keys.Length;
    public Device Device => _keys[0].device;

    /// <summary>The cached tensors, for inspection (device checks, memory accounting).</summary>
    public IEnumerable<Tensor> Tensors => _keys.Concat(_values);

    /// <summary>Writes this step's keys and values for <paramref name="layer"/> after the cached ones and returns all of them, (B, kvh, Length+T, hd).</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var steps = keys.shape[2];
        if (keys.shape[0] != BatchSize) throw new ArgumentException($"batch {keys.shape[0]} does not match the cache's {BatchSize}");
        if (Length + steps > Capacity) Grow(Length + steps);
        _keys[layer].narrow(2, Length, steps).copy_(keys);
        _values[layer].narrow(2, Length, steps).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + steps), _values[layer].narrow(2, 0, Length + steps));
    }

    /// <summary>Marks <paramref name="steps"/> more positions as filled; called once per forward, after every layer appended.</summary>
    internal void Advance(long steps) => Length += steps;

    /// <summary>Repeats each sequence <paramref name="n"/> times in place: rows [s0, s0, …, s1, s1, …] for GRPO groups.</summary>
    public void Expand(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n));
        if (n == 1) return;
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Replace(_keys[i], _keys[i].repeat_interleave(n, dim: 0));
            _values[i] = Replace(_values[i], _values[i].repeat_interleave(n, dim: 0));
        }
        BatchSize *= n;
    }

    /// <summary>
    /// Rebuilds the batch from <paramref name="rows"/> (int64 indices of cached sequences, repeats allowed), so prompts
    /// prefilled once serve every completion that continues them. Differentiable: scoring with gradients sums each
    /// shared prompt's gradient over its rows.
    /// </summary>
    public void Select(Tensor rows)
    {
        if (rows.dim() != 1) throw new ArgumentException("rows must be a 1-D index tensor", nameof(rows));
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Replace(_keys[i], _keys[i].index_select(0, rows));
            _values[i] = Replace(_values[i], _values[i].index_select(0, rows));
        }
        BatchSize = rows.shape[0];
    }

    /// <summary>Forgets the cached positions but keeps the memory, so the next batch reuses it.</summary>
    public void Reset() => Length = 0;

    private void Grow(long needed)
    {
        var capacity = Math.Max(needed, Capacity * 2);
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Replace(_keys[i], Enlarge(_keys[i], capacity));
            _values[i] = Replace(_values[i], Enlarge(_values[i], capacity));
        }
        Capacity = capacity;
    }

    private Tensor Enlarge(Tensor old, long capacity)
    {
        var bigger = zeros([old.shape[0], old.shape[1], capacity, old.shape[3]], dtype: old.dtype, device: old.device);
        bigger.narrow(2, 0, Length).copy_(old.narrow(2, 0, Length));
        return bigger;
    }

    private static Tensor Replace(Tensor old, Tensor replacement)
    {
        replacement.DetachFromDisposeScope();
        old.Dispose();
        return replacement;
    }

    public void Dispose()
    {
        foreach (var t in Tensors) t.Dispose();
    }
}
