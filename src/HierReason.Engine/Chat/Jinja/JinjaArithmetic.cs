using static HierReason.Engine.Chat.Jinja.JinjaValues;

namespace HierReason.Engine.Chat.Jinja;

/// <summary>Python's arithmetic operators: <c>+</c> also joins strings and lists, <c>*</c> repeats them, <c>//</c> and <c>%</c> floor.</summary>
internal static class JinjaArithmetic
{
    public static object? Apply(string op, object? left, object? right)
    {
        if (IsNumber(left) && IsNumber(right))
            return Numbers(op, left, right);
        return (op, left, right) switch
        {
            ("+", string a, string b) => a + b,
            ("+", List<object?> a, List<object?> b) => a.Concat(b).ToList(),
            ("*", string a, long n) => string.Concat(Enumerable.Repeat(a, (int)Math.Max(0, n))),
            ("*", List<object?> a, long n) => Enumerable.Repeat(a, (int)Math.Max(0, n)).SelectMany(x => x).ToList(),
            _ => throw new JinjaRuntimeError($"unsupported operand types for {op}: {TypeName(left)} and {TypeName(right)}"),
        };
    }

    private static object Numbers(string op, object? left, object? right)
    {
        if (left is not double && right is not double && op != "/")
        {
            long a = left is bool lb ? (lb ? 1 : 0) : (long)left!, b = right is bool rb ? (rb ? 1 : 0) : (long)right!;
            return op switch
            {
                "+" => (object)(a + b),
                "-" => a - b,
                "*" => a * b,
                "//" => b == 0 ? throw new JinjaRuntimeError("integer division by zero") : FloorDiv(a, b),
                "%" => b == 0 ? throw new JinjaRuntimeError("integer modulo by zero") : a - (b * FloorDiv(a, b)),
                "**" => b >= 0 ? (object)(long)Math.Pow(a, b) : Math.Pow(a, b),
                _ => throw new JinjaRuntimeError($"unsupported operator {op}"),
            };
        }

        double x = ToDouble(left), y = ToDouble(right);
        return op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => y == 0 ? throw new JinjaRuntimeError("division by zero") : x / y,
            "//" => y == 0 ? throw new JinjaRuntimeError("division by zero") : Math.Floor(x / y),
            "%" => y == 0 ? throw new JinjaRuntimeError("modulo by zero") : x - (y * Math.Floor(x / y)),
            "**" => Math.Pow(x, y),
            _ => throw new JinjaRuntimeError($"unsupported operator {op}"),
        };
    }

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }
}
