namespace HierReason.Core.Steps;

/// <summary>
/// Reads the tokens of one step line left to right (integers, operators, words, punctuation), with
/// any whitespace between them. Every read either consumes its token or leaves the reader as it
/// was; nothing looks back, so reading a line is linear in its length. Digits are ASCII only.
/// </summary>
internal ref struct StepReader(ReadOnlySpan<char> text)
{
    private const char UnicodeMinus = '\u2212';

    private ReadOnlySpan<char> _rest = text;

    public readonly ReadOnlySpan<char> Rest => _rest;

    /// <summary>True when only whitespace, or a final full stop, is left.</summary>
    public readonly bool AtEnd
    {
        get
        {
            var r = _rest.Trim();
            return r.IsEmpty || r is ".";
        }
    }

    /// <summary>Reads <paramref name="ch"/> after any whitespace.</summary>
    public bool Char(char ch)
    {
        var r = _rest.TrimStart();
        if (r.IsEmpty || r[0] != ch) return false;
        _rest = r[1..];
        return true;
    }

    /// <summary>Reads <paramref name="word"/> (any case) when no letter follows it.</summary>
    public bool Word(string word)
    {
        var r = _rest.TrimStart();
        if (!r.StartsWith(word, StringComparison.OrdinalIgnoreCase)) return false;
        if (r.Length > word.Length && char.IsLetter(r[word.Length])) return false;
        _rest = r[word.Length..];
        return true;
    }

    /// <summary>Reads an arithmetic operator as one of <c>+ - * /</c> (also <c>− × ÷</c>).</summary>
    public bool Operator(out char op)
    {
        var r = _rest.TrimStart();
        op = r.IsEmpty ? '\0' : r[0] switch
        {
            '+' => '+',
            '-' or UnicodeMinus => '-',
            '*' or '×' => '*',
            // A lone x between spaces is a times sign; x inside a word is not.
            'x' when r.Length > 1 && char.IsWhiteSpace(r[1]) => '*',
            '/' or '÷' => '/',
            _ => '\0',
        };
        if (op == '\0') return false;
        _rest = r[1..];
        return true;
    }

    /// <summary>
    /// Reads ASCII digits with no sign and no check of what follows (the <c>1</c> of <c>r1c2</c>, the
    /// <c>4</c> of <c>(4,6)</c>); the value is null when they do not fit a long.
    /// </summary>
    public bool Digits(out long? value)
    {
        value = null;
        var r = _rest.TrimStart();
        var i = 0;
        long v = 0;
        var overflow = false;
        while (i < r.Length && char.IsAsciiDigit(r[i]))
        {
            var d = r[i] - '0';
            if (v > (long.MaxValue - d) / 10) overflow = true;
            else v = v * 10 + d;
            i++;
        }
        if (i == 0) return false;
        _rest = r[i..];
        if (!overflow) value = v;
        return true;
    }

    /// <summary>
    /// Reads an integer: an optional sign right before ASCII digits, and no letter, digit or decimal
    /// part right after (so <c>1e999</c>, <c>2.5</c> and <c>1,000</c> are not integers). The value is
    /// null when the digits do not fit a long: such a number equals nothing the truth holds.
    /// </summary>
    public bool Integer(out long? value)
    {
        value = null;
        var r = _rest.TrimStart();
        var i = 0;
        var negative = false;
        if (r.Length > 0 && r[0] is '+' or '-' or UnicodeMinus)
        {
            negative = r[0] != '+';
            i = 1;
        }
        var first = i;
        // Accumulate negatively so long.MinValue reads too.
        long v = 0;
        var overflow = false;
        while (i < r.Length && char.IsAsciiDigit(r[i]))
        {
            var d = r[i] - '0';
            if (v < (long.MinValue + d) / 10) overflow = true;
            else v = v * 10 - d;
            i++;
        }
        if (i == first) return false;
        if (i < r.Length && (char.IsLetterOrDigit(r[i]) || r[i] is '_'
                             || (r[i] is '.' or ',' && i + 1 < r.Length && char.IsDigit(r[i + 1]))))
            return false;
        _rest = r[i..];
        if (overflow || (!negative && v == long.MinValue)) return true;
        value = negative ? v : -v;
        return true;
    }
}
