using System.Globalization;

namespace HierReason.Core.Answers;

/// <summary>
/// Reads a number the way a person writes one and compares it exactly: <c>1,000</c>, <c>1000.0</c>,
/// <c> 1000 </c>, <c>+1000</c> and <c>1e3</c> all equal 1000; any other number is simply wrong
/// (no credit for sharing digits).
/// </summary>
public static class NumericAnswer
{
    /// <summary>Parses a plain number: sign, digits (commas only as thousands groups), fraction, exponent.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null) return false;
        var s = text.AsSpan().Trim();
        if (s.Length == 0 || s.Length > 64) return false;
        if (TryParseDigits(s, out value)) return true;
        if (s.Contains(',') && !CommasAreThousands(s)) return false;
        Span<char> buf = stackalloc char[s.Length];
        var n = 0;
        foreach (var ch in s)
            if (ch != ',') buf[n++] = ch;
        var clean = buf[..n];
        if (clean.Length > 0 && clean[^1] == '.') clean = clean[..^1]; // "12." as written at the end of a sentence
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (decimal.TryParse(clean, style, CultureInfo.InvariantCulture, out value)) return true;
        return false;
    }

    /// <summary>1 when <paramref name="answer"/> is a number equal to <paramref name="gold"/>, else 0.</summary>
    public static double Score(string? answer, decimal gold)
        => TryParse(answer, out var v) && v == gold ? 1.0 : 0.0;

    /// <summary>
    /// 1 when <paramref name="answer"/> is a number equal to <paramref name="gold"/>, else 0: the same as the decimal
    /// overload, with plain (signed) digits, the usual answer, compared without building a decimal.
    /// </summary>
    public static double Score(string? answer, long gold)
    {
        if (answer is null) return 0.0;
        var s = answer.AsSpan().Trim();
        if (s.Length > 0 && TryParseInteger(s, out var v)) return v == gold ? 1.0 : 0.0;
        return Score(answer, (decimal)gold);
    }

    /// <summary>1 when <paramref name="answer"/> is a number equal to the number in <paramref name="gold"/>, else 0.</summary>
    public static double Score(string? answer, string gold)
        => TryParse(gold, out var g) ? Score(answer, g) : 0.0;

    /// <summary>An integer as the gold answer is written: invariant digits, no grouping.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Plain digits after an optional sign, the way gold answers and most model answers are written: read
    /// directly, which gives the same value as the general path at a fraction of the cost of decimal parsing.
    /// </summary>
    private static bool TryParseDigits(ReadOnlySpan<char> s, out decimal value)
    {
        var ok = TryParseInteger(s, out var v);
        value = v;
        return ok;
    }

    /// <summary>
    /// A non-empty run of at most 18 digits after an optional sign, as a long. "-0" is left to the general path,
    /// which keeps the sign of a negative zero.
    /// </summary>
    private static bool TryParseInteger(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        var negative = s[0] == '-';
        var digits = negative || s[0] == '+' ? s[1..] : s;
        if (digits.Length is 0 or > 18) return false;
        long v = 0;
        foreach (var ch in digits)
        {
            if (!char.IsAsciiDigit(ch)) return false;
            v = v * 10 + (ch - '0');
        }
        if (negative && v == 0) return false;
        value = negative ? -v : v;
        return true;
    }

    private static bool CommasAreThousands(ReadOnlySpan<char> s)
    {
        var start = s.Length > 0 && (s[0] == '+' || s[0] == '-') ? 1 : 0;
        var dot = s.IndexOfAny('.', 'e', 'E');
        var intPart = dot < 0 ? s[start..] : s[start..dot];
        if (dot >= 0 && s[dot..].Contains(',')) return false;
        var groups = 0;
        var len = 0;
        for (var i = intPart.Length - 1; i >= 0; i--)
        {
            if (intPart[i] == ',')
            {
                if (len != 3) return false;
                groups++;
                len = 0;
            }
            else len++;
        }
        return groups > 0 && len is >= 1 and <= 3;
    }
}
