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
    public (Tensor Keys, Tensor Values) Filled(int layer) => (Rows(_keys[layer]).narrow(2, 0, Length), Rows(_values[layer]).narrow(2, 0, Length));

    /// <summary>Rows allocated: <see cref="BatchSize"/> of them are in use (a slot cache keeps spare rows for sequences that join later).</summary>
    public long SlotRows => _keys[0].shape[0];

    /// <summary>The rows in use, a view (no copy) when spare slots exist.</summary>
    private Tensor Rows(Tensor t) => BatchSize == t.shape[0] ? t : t.narrow(0, 0, BatchSize);

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
        var (k, v) = (Rows(_keys[layer]), Rows(_values[layer]));
        k.narrow(2, Length, steps).copy_(keys);
        v.narrow(2, Length, steps).copy_(values);
        return (k.narrow(2, 0, Length + steps), v.narrow(2, 0, Length + steps));
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

    // Slot use (continuous batching): rows [0, BatchSize) are the running sequences; sequences join in the spare rows
    // after them and a leaving row is replaced by the last one, so no step copies the whole cache.

    /// <summary>An empty cache with <paramref name="rows"/> slots allocated (<see cref="BatchSize"/> 0) for sequences to join with <see cref="AddRows"/>.</summary>
    public static KvCache Slots(ModelConfig config, long rows, long capacity, Device device, ScalarType dtype) =>
        new(config, rows, capacity, device, dtype) { BatchSize = 0 };

    /// <summary>
    /// Appends <paramref name="index"/>.Length rows taken from <paramref name="source"/>'s filled positions (rows picked by
    /// <paramref name="index"/>, int64, repeats allowed) after the rows in use, their positions ending at column
    /// <see cref="Length"/>; moves <see cref="Length"/> up first when the source is longer. Allocates more rows when needed.
    /// </summary>
    public void AddRows(KvCache source, Tensor index)
    {
        var count = index.shape[0];
        var width = source.Length;
        if (width > Length) MoveEnd(width);
        if (BatchSize + count > SlotRows) GrowRows(BatchSize + count);
        using var scope = NewDisposeScope();
        for (var i = 0; i < _keys.Length; i++)
        {
            var (k, v) = source.Filled(i);
            _keys[i].narrow(0, BatchSize, count).narrow(2, Length - width, width).copy_(k.index_select(0, index));
            _values[i].narrow(0, BatchSize, count).narrow(2, Length - width, width).copy_(v.index_select(0, index));
        }
        BatchSize += count;
    }

    /// <summary>
    /// Drops the rows in use at <paramref name="holes"/> by moving the rows at <paramref name="movers"/> (rows in use past
    /// the new end, as many as there are holes below it) into them: one gather and one scatter per layer, not a copy of
    /// the cache. Then <paramref name="remaining"/> rows are in use.
    /// </summary>
    public void RemoveRows(long[] holes, long[] movers, long remaining)
    {
        if (holes.Length != movers.Length) throw new ArgumentException("one mover per hole", nameof(movers));
        if (remaining < 0 || remaining > BatchSize) throw new ArgumentOutOfRangeException(nameof(remaining));
        if (holes.Length > 0)
        {
            using var scope = NewDisposeScope();
            var to = tensor(holes, dtype: ScalarType.Int64, device: Device);
            var from = tensor(movers, dtype: ScalarType.Int64, device: Device);
            for (var i = 0; i < _keys.Length; i++)
            {
                _keys[i].index_copy_(0, to, _keys[i].index_select(0, from));
                _values[i].index_copy_(0, to, _values[i].index_select(0, from));
            }
        }
        BatchSize = remaining;
        if (BatchSize == 0) Length = 0;
    }

    /// <summary>Moves the end of the filled positions to <paramref name="length"/> (≥ <see cref="Length"/>); the rows' new columns are padding.</summary>
    public void MoveEnd(long length)
    {
        if (length < Length) throw new ArgumentOutOfRangeException(nameof(length));
        if (length > Capacity) Grow(length);
        Length = length;
    }

    /// <summary>Drops the first <paramref name="columns"/> positions of every row in use (padding no row needs any more).</summary>
    public void DropColumns(long columns)
    {
        if (columns <= 0) return;
        if (columns > Length) throw new ArgumentOutOfRangeException(nameof(columns));
        using var scope = NewDisposeScope();
        for (var i = 0; i < _keys.Length; i++)
        {
            var k = Rows(_keys[i]);
            var v = Rows(_values[i]);
            k.narrow(2, 0, Length - columns).copy_(k.narrow(2, columns, Length - columns).clone());
            v.narrow(2, 0, Length - columns).copy_(v.narrow(2, columns, Length - columns).clone());
        }
        Length -= columns;
    }

    /// <summary>
    /// Keeps only the positions at <paramref name="columns"/> (ascending, each below <see cref="Length"/>) of every row in
    /// use, moved to the front in that order: columns no row attends to any more (the prompts of rows that have left a
    /// slot batch) stop costing attention. Keys carry their rotary positions already, so nothing else changes.
    /// </summary>
    public void KeepColumns(Tensor columns)
    {
        var kept = columns.shape[0];
        if (kept > Length) throw new ArgumentOutOfRangeException(nameof(columns));
        using var scope = NewDisposeScope();
        for (var i = 0; i < _keys.Length; i++)
        {
            var k = Rows(_keys[i]);
            var v = Rows(_values[i]);
            k.narrow(2, 0, kept).copy_(k.index_select(2, columns));
            v.narrow(2, 0, kept).copy_(v.index_select(2, columns));
        }
        Length = kept;
    }

    private void GrowRows(long needed)
    {
        var rows = Math.Max(needed, SlotRows * 2);
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Replace(_keys[i], MoreRows(_keys[i], rows));
            _values[i] = Replace(_values[i], MoreRows(_values[i], rows));
        }
    }

    private Tensor MoreRows(Tensor old, long rows)
    {
        var bigger = zeros([rows, old.shape[1], old.shape[2], old.shape[3]], dtype: old.dtype, device: old.device);
        if (BatchSize > 0) bigger.narrow(0, 0, BatchSize).copy_(old.narrow(0, 0, BatchSize));
        return bigger;
    }

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
