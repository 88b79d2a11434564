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
        if (text.Length <= 3)
        {
            // Separators such as ", " and " = ": copied in place, cheaper than a call to the block copy.
            foreach (var ch in text) _buffer[_length++] = ch;
            return;
        }
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
        if ((ulong)value < 100)
        {
            // Most numbers in questions and traces are one or two digits.
            if (value >= 10) _buffer[_length++] = DigitPairs[2 * (int)value];
            _buffer[_length++] = (char)('0' + value % 10);
            return;
        }
        // The magnitude as unsigned, so long.MinValue needs no special case.
        var magnitude = (ulong)value;
        if (value < 0)
        {
            _buffer[_length++] = '-';
            magnitude = 0UL - magnitude;
        }
        var digits = DigitCount(magnitude);
        var span = _buffer.Slice(_length, digits);
        var i = digits;
        while (magnitude >= 100)
        {
            // Two digits a step, from a table of "00" … "99".
            var quotient = magnitude / 100;
            var pair = 2 * (int)(magnitude - quotient * 100);
            span[--i] = DigitPairs[pair + 1];
            span[--i] = DigitPairs[pair];
            magnitude = quotient;
        }
        if (magnitude >= 10)
        {
            span[1] = DigitPairs[2 * (int)magnitude + 1];
            span[0] = DigitPairs[2 * (int)magnitude];
        }
        else span[0] = (char)('0' + magnitude);
        _length += digits;
    }

    private static readonly string DigitPairs = string.Create(200, 0, (chars, _) =>
    {
        for (var n = 0; n < 100; n++)
        {
            chars[2 * n] = (char)('0' + n / 10);
            chars[2 * n + 1] = (char)('0' + n % 10);
        }
    });

    private static readonly ulong[] PowersOfTen =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>The number of decimal digits of <paramref name="value"/> (1 for 0), from its bit length.</summary>
    private static int DigitCount(ulong value)
    {
        // log10(2) ≈ 1233 / 4096: an estimate that is exact or one too small, corrected by one comparison.
        var estimate = (System.Numerics.BitOperations.Log2(value | 1) + 1) * 1233 >> 12;
        return Math.Max(1, estimate + (estimate < PowersOfTen.Length && value >= PowersOfTen[estimate] ? 1 : 0));
    }

    public override readonly string ToString() => new(_buffer[.._length]);
}
