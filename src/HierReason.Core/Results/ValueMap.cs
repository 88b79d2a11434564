namespace HierReason.Core.Results;

/// <summary>
/// A dictionary that records compare by value (same keys, equal values), so a result read back from its file equals the
/// one written; JSON reads and writes it as a plain object (integer keys as strings: <c>{"1": 0.25, "2": 0.5}</c>).
/// Keys keep the order they were added in (the order of the file when read).
/// </summary>
public sealed class ValueMap<TKey, TValue> : Dictionary<TKey, TValue>, IEquatable<ValueMap<TKey, TValue>>
    where TKey : notnull
{
    public ValueMap() { }

    public ValueMap(IEnumerable<KeyValuePair<TKey, TValue>> pairs) : base(pairs) { }

    public bool Equals(ValueMap<TKey, TValue>? other) =>
        other is not null && Count == other.Count
        && this.All(p => other.TryGetValue(p.Key, out var v) && EqualityComparer<TValue>.Default.Equals(p.Value, v));

    public override bool Equals(object? obj) => obj is ValueMap<TKey, TValue> other && Equals(other);

    public override int GetHashCode() => Count;
}
