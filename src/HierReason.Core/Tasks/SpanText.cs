namespace HierReason.Core.Tasks;

/// <summary>
/// Builds a short text in a caller-provided buffer (usually stack memory), so generating an item
/// allocates only the final strings. Appending past the buffer is a bug and throws.
/// </summary>
internal ref struct SpanText(Span<char> buffer)
{
    private readonly Span<char> _buffer = buffer;
    private int _length;

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> Written => _buffer[.._length];

    public void Clear() => _length = 0;

    public void Append(char ch) => _buffer[_length++] = ch;

    public void Append(string text)
    {
        text.AsSpan().CopyTo(_buffer[_length..]);
        _length += text.Length;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        text.CopyTo(_buffer[_length..]);
        _length += text.Length;
    }

    /// <summary>A non-negative integer in invariant digits.</summary>
    public void Append(int value)
    {
        if ((uint)value < 100)
        {
            // Most numbers in traces are small: write them directly rather than through the formatter.
            if (value >= 10) _buffer[_length++] = (char)('0' + value / 10);
            _buffer[_length++] = (char)('0' + value % 10);
            return;
        }
        if (!value.TryFormat(_buffer[_length..], out var written, default, System.Globalization.CultureInfo.InvariantCulture))
            throw new IndexOutOfRangeException("text buffer too small");
        _length += written;
    }

    public override readonly string ToString() => new(_buffer[.._length]);
}
