using HierReason.Core.Expressions;

namespace HierReason.Core.Tests.Expressions;

public class ArithmeticExpressionTests
{
    private static Rational Value(string text)
    {
        Assert.True(ArithmeticExpression.TryEvaluate(text, out var v), $"'{text}' should evaluate");
        return v;
    }

    private static Rational Fraction(long n, long d)
    {
        Assert.True(Rational.TryCreate(n, d, out var r));
        return r;
    }

    [Theory]
    [InlineData("2 + 3 * 4", 14)]
    [InlineData("(2 + 3) * 4", 20)]
    [InlineData("10 - 4 / 2", 8)]
    [InlineData("2 * 3 + 4 * 5", 26)]
    [InlineData("7", 7)]
    [InlineData("  42  ", 42)]
    [InlineData("007 + 1", 8)]
    public void Multiplication_and_division_bind_tighter_than_addition(string text, long expected)
        => Assert.Equal(Rational.FromInteger(expected), Value(text));

    [Theory]
    [InlineData("8-3-2", 3)]
    [InlineData("8/4/2", 1)]
    [InlineData("100 - 10 + 1", 91)]
    [InlineData("64 / 4 * 2", 32)]
    public void Operators_of_equal_precedence_associate_to_the_left(string text, long expected)
        => Assert.Equal(Rational.FromInteger(expected), Value(text));

    [Theory]
    [InlineData("-3 * -4", 12)]
    [InlineData("--5", 5)]
    [InlineData("-(2 + 3)", -5)]
    [InlineData("3 - -2", 5)]
    [InlineData("+7 - +2", 5)]
    [InlineData("-2 * 3 + 1", -5)]
    public void Unary_minus_negates_its_operand(string text, long expected)
        => Assert.Equal(Rational.FromInteger(expected), Value(text));

    [Theory]
    [InlineData("6 × 7")]
    [InlineData("6x7")]
    [InlineData("6 X 7")]
    [InlineData("84 ÷ 2")]
    [InlineData("50 − 8")]
    public void Typographic_operators_read_as_ascii_ones(string text)
        => Assert.Equal(Rational.FromInteger(42), Value(text));

    [Fact]
    public void Division_is_exact_rational_arithmetic()
    {
        Assert.Equal(Fraction(7, 2), Value("7/2"));
        Assert.False(Value("7/2").IsInteger);
        Assert.Equal(Fraction(3, 2), Value("2*3/4"));
        Assert.Equal(Rational.FromInteger(1), Value("1/3 + 1/3 + 1/3"));
        Assert.Equal(Rational.FromInteger(8), Value("4/3*6"));
        Assert.Equal(Fraction(-1, 2), Value("1/-2"));
    }

    [Theory]
    [InlineData("1/0")]
    [InlineData("1/(2-2)")]
    [InlineData("5 / (1/3 - 1/3)")]
    public void Division_by_zero_is_a_failure(string text)
        => Assert.False(ArithmeticExpression.TryEvaluate(text, out _));

    [Theory]
    [InlineData("9999999999 * 9999999999")]
    [InlineData("9223372036854775807 + 1")]
    [InlineData("99999999999999999999")]
    [InlineData("-9223372036854775807 - 2")]
    public void Overflow_is_a_failure(string text)
        => Assert.False(ArithmeticExpression.TryEvaluate(text, out _));

    [Fact]
    public void Zero_divided_by_a_number_is_zero()
        => Assert.Equal(Rational.Zero, Value("0 / 5"));

    [Fact]
    public void Nesting_up_to_the_limit_parses_and_beyond_it_fails()
    {
        var depth = ArithmeticExpression.MaxDepth;
        Assert.Equal(Rational.FromInteger(1), Value(new string('(', depth) + "1" + new string(')', depth)));
        Assert.False(ArithmeticExpression.TryEvaluate(new string('(', depth + 1) + "1" + new string(')', depth + 1), out _));
        Assert.False(ArithmeticExpression.TryEvaluate(new string('-', depth + 1) + "1", out _));
    }

    [Fact]
    public void Hostile_input_fails_without_overflowing_the_stack()
    {
        Assert.False(ArithmeticExpression.TryEvaluate(string.Concat(Enumerable.Repeat("((((", 5000)), out _));
        Assert.False(ArithmeticExpression.TryEvaluate(new string('-', 100_000) + "1", out _));
        var megabyte = string.Concat(Enumerable.Repeat("1+", 500_000)) + "1";
        Assert.False(ArithmeticExpression.TryEvaluate(megabyte, out _));
        Assert.Null(ArithmeticExpression.TryParse(megabyte));
    }

    [Fact]
    public void A_long_flat_chain_within_the_length_limit_evaluates()
    {
        var text = string.Concat(Enumerable.Repeat("1+", 2000)) + "1";
        Assert.Equal(Rational.FromInteger(2001), Value(text));
        var parsed = ArithmeticExpression.TryParse(text);
        Assert.NotNull(parsed);
        Assert.Equal(2001, parsed.Literals.Count);
        Assert.Equal(Rational.FromInteger(2001), ArithmeticExpression.Evaluate(parsed.Root));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("1 +")]
    [InlineData("+")]
    [InlineData("(1")]
    [InlineData("1)")]
    [InlineData("()")]
    [InlineData("1 2")]
    [InlineData("1.5")]
    [InlineData("2..3")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    [InlineData("\0")]
    [InlineData("2 ** 3")]
    [InlineData("__import__('os')")]
    [InlineData("1,000")]
    public void Garbage_is_a_failure(string? text)
    {
        Assert.False(ArithmeticExpression.TryEvaluate(text, out _));
        Assert.Null(ArithmeticExpression.TryParse(text));
    }

    [Fact]
    public void Parse_returns_the_tree_and_the_literals_in_text_order()
    {
        var parsed = ArithmeticExpression.TryParse("25*4+7-3");
        Assert.NotNull(parsed);
        Assert.Equal([25L, 4, 7, 3], parsed.Literals);
        Assert.Equal(Rational.FromInteger(104), parsed.Value);
        var expected = new BinaryOperation('-',
            new BinaryOperation('+', new BinaryOperation('*', new Literal(25), new Literal(4)), new Literal(7)),
            new Literal(3));
        Assert.Equal(expected, parsed.Root);
    }

    [Fact]
    public void Parse_reads_unary_minus_as_a_negation_node()
    {
        var parsed = ArithmeticExpression.TryParse("8 - -(3)");
        Assert.NotNull(parsed);
        Assert.Equal(new BinaryOperation('-', new Literal(8), new Negation(new Literal(3))), parsed.Root);
        Assert.Equal(Rational.FromInteger(11), parsed.Value);
    }

    [Fact]
    public void Evaluate_with_literals_appends_every_literal_once()
    {
        var literals = new List<long>();
        Assert.True(ArithmeticExpression.TryEvaluate("(100 - 4) / (6 ÷ 2)", out var v, literals));
        Assert.Equal(Rational.FromInteger(32), v);
        Assert.Equal([100L, 4, 6, 2], literals);
    }
}
