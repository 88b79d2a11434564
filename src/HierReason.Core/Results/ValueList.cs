namespace HierReason.Core.Results;

/// <summary>
/// A list that records compare by value (element by element), so a summary read back from its file equals the one
/// written; JSON reads and writes it as a plain array.
/// </summary>
public sealed class ValueList<T> : List<T>, IEquatable<ValueList<T>>
{
    public ValueList() { }

    public ValueList(IEnumerable<T> items) : base(items) { }

    public bool Equals(ValueList<T>? other) => other is not null && this.SequenceEqual(other);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode() => Count == 0 ? 0 : HashCode.Combine(Count, this[0]);
}
