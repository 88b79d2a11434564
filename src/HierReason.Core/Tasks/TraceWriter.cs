namespace HierReason.Core.Tasks;

/// <summary>
/// Writes text into a caller-provided buffer (usually stack memory) without growing it, for traces
/// and questions built in hot generation loops; <see cref="ToString"/> makes the one string.
/// </summary>
internal ref struct TraceWriter
{
    private readonly Span<char> _buffer;
    private int _length;

    public TraceWriter(Span<char> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    public readonly int Length => _length;

    public void Append(char c) => _buffer[_length++] = c;

    public void Append(string s)
    {
        s.CopyTo(_buffer[_length..]);
        _length += s.Length;
    }

    public void Append(long value)
    {
        if (value is >= 0 and < 100)
        {
            // Most numbers in traces are small counts; writing them directly skips the formatter.
            if (value >= 10) _buffer[_length++] = (char)('0' + value / 10);
            _buffer[_length++] = (char)('0' + value % 10);
            return;
        }
        // A buffer sized by the caller is a bug if it is too small: fail loudly rather than truncate.
        if (!value.TryFormat(_buffer[_length..], out var written, default, System.Globalization.CultureInfo.InvariantCulture))
            throw new InvalidOperationException("trace buffer too small");
        _length += written;
    }

    public override readonly string ToString() => new(_buffer[.._length]);
}
