using System.Buffers.Binary;
using System.Collections;
using System.IO.Hashing;

namespace HierReason.Core.Tasks;

/// <summary>
/// A weighted mixture of tasks as one dataset. Item i picks its entry from a hash of
/// (mixture seed, split, i) in proportion to the weights, then is that entry's task item
/// (split, seed, i) — so a mixture keeps the splits disjoint, as its tasks do. An entry with the sub-problem view gives
/// one gold sub-problem of that item instead (<see cref="SubProblemView.At"/>).
/// </summary>
public sealed class TaskMixture : IReadOnlyList<TaskItem>
{
    private readonly MixtureEntry[] _entries;
    private readonly double[] _cumulative;
    private readonly TaskItem?[] _items;

    public TaskMixture(IReadOnlyList<MixtureEntry> entries, Split split, long seed, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (entries.Count == 0) throw new HierReasonException("a task mixture needs at least one task");
        _entries = entries.ToArray();
        _cumulative = new double[_entries.Length];
        var total = 0.0;
        for (var i = 0; i < _entries.Length; i++)
        {
            var e = _entries[i];
            if (!(e.Weight > 0) || !double.IsFinite(e.Weight))
                throw new HierReasonException($"task mixture: the weight of {e.Task.Name} must be a positive number; found {e.Weight}");
            e.Config.Validate();
            total += e.Weight;
            _cumulative[i] = total;
        }
        Split = split;
        Seed = seed;
        _items = new TaskItem?[size];
    }

    public IReadOnlyList<MixtureEntry> Entries => _entries;
    public Split Split { get; }
    public long Seed { get; }
    public int Count => _items.Length;

    public TaskItem this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_items.Length) throw new ArgumentOutOfRangeException(nameof(index));
            if (_items[index] is { } cached) return cached;
            var entry = _entries[EntryIndex(index)];
            var item = entry.Task.Generate(entry.Config, Split, Seed, index, entry.Level);
            return _items[index] = entry.View == ItemView.Subproblems ? SubProblemView.At(item, index) : item;
        }
    }

    /// <summary>Which entry item <paramref name="index"/> comes from: a fixed function of (seed, split, index).</summary>
    public int EntryIndex(long index)
    {
        Span<byte> key = stackalloc byte[17];
        BinaryPrimitives.WriteInt64LittleEndian(key, Seed);
        key[8] = (byte)Split;
        BinaryPrimitives.WriteInt64LittleEndian(key[9..], index);
        // A domain seed of its own so the pick is unrelated to the item's own seed derivation.
        var h = XxHash3.HashToUInt64(key, 0x6D697874757265L);
        var u = (h >> 11) * (1.0 / (1UL << 53)) * _cumulative[^1];
        for (var i = 0; i < _cumulative.Length - 1; i++)
            if (u < _cumulative[i]) return i;
        return _cumulative.Length - 1;
    }

    /// <summary>Scores an answer with the task the item came from.</summary>
    public double Score(string? answer, TaskItem item)
    {
        foreach (var e in _entries)
            if (e.Task.Name == item.Task) return e.Task.Score(answer, item);
        return 0.0;
    }

    public IEnumerator<TaskItem> GetEnumerator()
    {
        for (var i = 0; i < _items.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
