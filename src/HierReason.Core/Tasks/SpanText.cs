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

    /// <summary>An integer in invariant digits (a leading '-' when negative).</summary>
    public void Append(int value) => Append((long)value);

    /// <summary>
    /// An integer in invariant digits (a leading '-' when negative), written directly: the same text as
    /// <c>value.ToString(CultureInfo.InvariantCulture)</c> without the formatter's culture lookup.
    /// </summary>
    public void Append(long value)
    {
        if ((ulong)value < 10)
        {
            // Most numbers in traces are single digits.
            _buffer[_length++] = (char)('0' + value);
            return;
        }
        // The magnitude as unsigned, so long.MinValue needs no special case.
        var magnitude = (ulong)value;
        if (value < 0)
        {
            _buffer[_length++] = '-';
            magnitude = 0UL - magnitude;
        }
        var digits = 1;
        for (var bound = 10UL; digits < 20 && magnitude >= bound; bound *= 10) digits++;
        var span = _buffer.Slice(_length, digits);
        for (var i = digits - 1; i >= 0; i--)
        {
            var quotient = magnitude / 10;
            span[i] = (char)('0' + (magnitude - quotient * 10));
            magnitude = quotient;
        }
        _length += digits;
    }

    public override readonly string ToString() => new(_buffer[.._length]);
}
