using System.Globalization;
using HierReason.Core.Answers;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

/// <summary>The fast paths of issue 24 give exactly what the general code they replace gives.</summary>
public class FastPathTests
{
    public static TheoryData<long> Integers() =>
    [
        0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, -1, -9, -10, -99, -100, 123456789, -987654321,
        int.MaxValue, int.MinValue, 999_999_999_999_999_999, 1_000_000_000_000_000_000, 922_337_203_685_477_580,
        long.MaxValue, long.MinValue, long.MinValue + 1,
    ];

    [Theory]
    [MemberData(nameof(Integers))]
    public void Span_text_writes_an_integer_as_the_invariant_formatter_does(long value)
    {
        var text = new SpanText(stackalloc char[64]);
        text.Append("x=");
        text.Append(value);
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            text.Append(' ');
            text.Append((int)value);
        }
        var expected = "x=" + value.ToString(CultureInfo.InvariantCulture)
                       + (value is >= int.MinValue and <= int.MaxValue ? " " + value.ToString(CultureInfo.InvariantCulture) : "");
        Assert.Equal(expected, text.ToString());
    }

    [Fact]
    public void Span_text_writes_every_power_of_ten_and_its_neighbours_as_the_formatter_does()
    {
        Span<char> buffer = stackalloc char[32];
        for (long p = 1; p <= 1_000_000_000_000_000_000; p *= 10)
            foreach (var v in new[] { p - 1, p, p + 1, -p + 1, -p, -p - 1 })
            {
                var text = new SpanText(buffer);
                text.Append(v);
                Assert.Equal(v.ToString(CultureInfo.InvariantCulture), text.ToString());
            }
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData("-42", -42)]
    [InlineData("+42", 42)]
    [InlineData(" -7 ", -7)]
    [InlineData("-0", 0)]
    [InlineData("0", 0)]
    [InlineData("1,000", 1000)]
    [InlineData("-1,000", -1000)]
    [InlineData("1e3", 1000)]
    [InlineData("12.", 12)]
    [InlineData("-", 0)]
    [InlineData("+", 0)]
    [InlineData("--5", -5)]
    [InlineData("5-", 5)]
    [InlineData("", 0)]
    [InlineData("123456789012345678", 123456789012345678)]
    [InlineData("-1234567890123456789", -1234567890123456789)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("abc", 0)]
    public void Scoring_against_a_long_agrees_with_scoring_against_the_same_decimal(string answer, long gold)
    {
        Assert.Equal(NumericAnswer.Score(answer, (decimal)gold), NumericAnswer.Score(answer, gold));
        Assert.Equal(NumericAnswer.Score(answer, (decimal)gold + 1), NumericAnswer.Score(answer, gold + 1));
    }

    [Fact]
    public void The_signed_fast_path_reads_what_the_decimal_parser_reads()
    {
        foreach (var text in new[] { "-5", "+5", "-123", "-0", "+0", "-", "+-1", "-+1" })
        {
            var parsed = NumericAnswer.TryParse(text, out var value);
            var expected = decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d);
            Assert.Equal(expected, parsed);
            if (expected) Assert.Equal(d, value);
        }
    }

    [Fact]
    public void First_divisor_finds_the_divisor_the_plain_scan_finds()
    {
        var rng = new Random(24);
        var dividends = new List<long> { 0, 1, -1, 7, -7, 12, 997, 1000, 9999, 10_000, 123_456, -720_720, 4_294_967_295, 4_294_967_296, 1_000_000_000_000_000_000, -999_999_999_999_999_989 };
        for (var i = 0; i < 3000; i++)
        {
            var magnitude = rng.Next(4) switch { 0 => rng.NextInt64(0, 100), 1 => rng.NextInt64(0, 100_000), 2 => rng.NextInt64(0, 5_000_000_000), _ => rng.NextInt64(0, 1_000_000_000_000_000_000) };
            dividends.Add(rng.Next(2) == 0 ? magnitude : -magnitude);
            dividends.Add(rng.NextInt64(1, 200) * rng.NextInt64(1, 10_000) * (rng.Next(2) == 0 ? 1 : -1));
        }
        foreach (var dividend in dividends)
            foreach (var digits in new[] { 1, 2, 3, 4, 5 })
            {
                var lo = digits == 1 ? 1L : (long)Math.Pow(10, digits - 1);
                var size = (long)Math.Pow(10, digits) - lo;
                var steps = Math.Min(size, 1000);
                foreach (var start in new[] { 0, size - 1, rng.NextInt64(0, size) })
                    Assert.Equal(PlainScan(dividend, lo, size, start, steps), BasicArithmeticTask.FirstDivisor(dividend, lo, size, start, steps));
            }
    }

    /// <summary>The scan as it was written before the fast path.</summary>
    private static long? PlainScan(long dividend, long lo, long size, long start, long steps)
    {
        for (var j = 0; j < steps; j++)
        {
            var d = lo + (start + j) % size;
            if (dividend % d == 0) return d;
        }
        return null;
    }
}
