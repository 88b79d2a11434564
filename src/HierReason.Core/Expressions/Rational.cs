using System.Globalization;

namespace HierReason.Core.Expressions;

/// <summary>
/// An exact fraction over <see cref="long"/>, always in lowest terms with a positive denominator.
/// Operations that overflow or divide by zero report failure instead of producing a value.
/// </summary>
public readonly record struct Rational
{
    // Stored less one, so that default(Rational) is 0/1 and equal to Zero field by field.
    private readonly long _denominatorLessOne;

    private Rational(long numerator, long denominator)
    {
        Numerator = numerator;
        _denominatorLessOne = denominator - 1;
    }

    public long Numerator { get; }

    /// <summary>Always ≥ 1.</summary>
    public long Denominator => _denominatorLessOne + 1;

    public static Rational Zero => FromInteger(0);

    public bool IsInteger => Denominator == 1;

    /// <summary>An integer as a rational. <see cref="long.MinValue"/> is outside the range, so negation never overflows.</summary>
    public static Rational FromInteger(long value)
    {
        if (value == long.MinValue) throw new ArgumentOutOfRangeException(nameof(value), "long.MinValue has no negation");
        return new Rational(value, 1);
    }

    public static bool TryCreate(long numerator, long denominator, out Rational value)
        => TryNormalise(numerator, denominator, out value);

    public static bool TryAdd(Rational a, Rational b, out Rational result)
    {
        if (a.IsInteger && b.IsInteger) return TryNormalise((Int128)a.Numerator + b.Numerator, 1, out result);
        return TryNormalise((Int128)a.Numerator * b.Denominator + (Int128)b.Numerator * a.Denominator,
            (Int128)a.Denominator * b.Denominator, out result);
    }

    public static bool TrySubtract(Rational a, Rational b, out Rational result) => TryAdd(a, -b, out result);

    public static bool TryMultiply(Rational a, Rational b, out Rational result)
        => TryNormalise((Int128)a.Numerator * b.Numerator, (Int128)a.Denominator * b.Denominator, out result);

    /// <summary>False when <paramref name="b"/> is zero or the quotient does not fit.</summary>
    public static bool TryDivide(Rational a, Rational b, out Rational result)
    {
        if (b.Numerator == 0)
        {
            result = Zero;
            return false;
        }
        return TryNormalise((Int128)a.Numerator * b.Denominator, (Int128)a.Denominator * b.Numerator, out result);
    }

    /// <summary>Applies one of the four operators (<c>+ - * /</c>).</summary>
    public static bool TryApply(char op, Rational a, Rational b, out Rational result)
    {
        switch (op)
        {
            case '+': return TryAdd(a, b, out result);
            case '-': return TrySubtract(a, b, out result);
            case '*': return TryMultiply(a, b, out result);
            case '/': return TryDivide(a, b, out result);
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "not an arithmetic operator");
        }
    }

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator);

    /// <summary>True when this is exactly the integer <paramref name="integer"/>.</summary>
    public bool EqualsInteger(long integer) => IsInteger && Numerator == integer;

    public override string ToString() => IsInteger
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);

    private static bool TryNormalise(Int128 numerator, Int128 denominator, out Rational result)
    {
        result = Zero;
        if (denominator == 0) return false;
        if (denominator < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        if (denominator != 1)
        {
            var g = Gcd(numerator < 0 ? (UInt128)(-numerator) : (UInt128)numerator, (UInt128)denominator);
            if (g > 1)
            {
                numerator /= (Int128)g;
                denominator /= (Int128)g;
            }
        }
        if (numerator > long.MaxValue || numerator < -long.MaxValue || denominator > long.MaxValue) return false;
        result = new Rational((long)numerator, (long)denominator);
        return true;
    }

    private static UInt128 Gcd(UInt128 a, UInt128 b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
