using HierReason.Core.Answers;

namespace HierReason.Core.Steps;

/// <summary>
/// A step written as an equation, <c>a op b [op c …] = r</c>, with integer operands and the operators
/// <c>+ - * /</c>. An operand or result that is not a readable long is null, and an equation holding
/// one is never true.
/// </summary>
internal sealed record StepEquation(IReadOnlyList<long?> Operands, IReadOnlyList<char> Operators, long? Result)
{
    /// <summary>
    /// Reads <paramref name="text"/> as an equation: at least two operands on the left, then <c>=</c>.
    /// Null when the text does not have that shape (it is then not this kind of step). After <c>=</c>
    /// the first word is the result, read like an answer (<c>1,000</c>, <c>8.0</c> and <c>1e3</c> are
    /// integers; see <see cref="NumericAnswer"/>); words after it are ignored (a reason) unless they
    /// go on computing (<c>= 280 + 1</c>). A result that is not an integer in the long range is null.
    /// </summary>
    public static StepEquation? Read(ReadOnlySpan<char> text)
    {
        var reader = new StepReader(text);
        if (!reader.Integer(out var first)) return null;
        var operands = new List<long?> { first };
        var operators = new List<char>();
        while (reader.Operator(out var op))
        {
            if (!reader.Integer(out var operand)) return null;
            operators.Add(op);
            operands.Add(operand);
        }
        if (operators.Count == 0 || !reader.Char('=')) return null;
        return new StepEquation(operands, operators, ReadResult(reader.Rest));
    }

    private static long? ReadResult(ReadOnlySpan<char> text)
    {
        text = text.TrimStart();
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        // NumericAnswer reads at most 64 characters; longer words are not numbers, and are not copied.
        if (end == 0 || end > 64 || !NumericAnswer.TryParse(text[..end].ToString(), out var value)) return null;
        // "= 280 + 1" or "= 280 = …" goes on computing: 280 alone is not what the line says.
        if (text[end..].TrimStart() is ['+' or '-' or '\u2212' or '*' or '×' or '/' or '÷' or '=', ..]) return null;
        return value == decimal.Truncate(value) && value >= long.MinValue && value <= long.MaxValue ? (long)value : null;
    }

    /// <summary>
    /// The left side with the usual precedence; null when an operand is unreadable, a value leaves
    /// the long range, or a division is by zero or not exact.
    /// </summary>
    public long? Value()
    {
        if (Operands[0] is not long first) return null;
        Int128 sum = 0, term = first;
        for (var i = 0; i < Operators.Count; i++)
        {
            if (Operands[i + 1] is not long x) return null;
            switch (Operators[i])
            {
                case '*':
                    term *= x;
                    break;
                case '/':
                    if (x == 0 || term % x != 0) return null;
                    term /= x;
                    break;
                default:
                    sum += term;
                    term = Operators[i] == '-' ? -(Int128)x : x;
                    break;
            }
            // Both stay within a long, so the next product of two of them fits an Int128.
            if (!FitsLong(term) || !FitsLong(sum)) return null;
        }
        sum += term;
        return FitsLong(sum) ? (long)sum : null;
    }

    /// <summary>Whether the written result is what the left side computes.</summary>
    public bool Holds => Result is long r && Value() == r;

    private static bool FitsLong(Int128 v) => v >= long.MinValue && v <= long.MaxValue;
}
