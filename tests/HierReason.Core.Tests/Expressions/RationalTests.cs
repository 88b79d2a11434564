using HierReason.Core.Expressions;

namespace HierReason.Core.Tests.Expressions;

public class RationalTests
{
    [Fact]
    public void Fractions_are_kept_in_lowest_terms_with_a_positive_denominator()
    {
        Assert.True(Rational.TryCreate(6, -4, out var r));
        Assert.Equal(-3, r.Numerator);
        Assert.Equal(2, r.Denominator);
        Assert.Equal("-3/2", r.ToString());
        Assert.True(Rational.TryCreate(10, 5, out var two));
        Assert.True(two.IsInteger);
        Assert.Equal("2", two.ToString());
    }

    [Fact]
    public void The_default_value_equals_zero()
    {
        Assert.Equal(Rational.Zero, default(Rational));
        Assert.Equal(1, default(Rational).Denominator);
    }

    [Fact]
    public void A_zero_denominator_is_refused()
        => Assert.False(Rational.TryCreate(1, 0, out _));

    [Fact]
    public void Sums_of_fractions_are_exact()
    {
        Assert.True(Rational.TryCreate(1, 6, out var sixth));
        Assert.True(Rational.TryCreate(1, 3, out var third));
        Assert.True(Rational.TryAdd(sixth, third, out var half));
        Assert.True(Rational.TryCreate(1, 2, out var expected));
        Assert.Equal(expected, half);
        Assert.True(Rational.TryMultiply(half, Rational.FromInteger(4), out var two));
        Assert.True(two.EqualsInteger(2L));
        Assert.False(half.EqualsInteger(0L));
    }

    [Fact]
    public void Results_beyond_a_long_are_failures_not_wrapped_values()
    {
        var big = Rational.FromInteger(long.MaxValue);
        Assert.False(Rational.TryAdd(big, Rational.FromInteger(1), out _));
        Assert.False(Rational.TryMultiply(big, Rational.FromInteger(2), out _));
        Assert.True(Rational.TryDivide(big, big, out var one));
        Assert.True(one.EqualsInteger(1L));
    }
}
