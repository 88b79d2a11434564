using HierReason.Core.Answers;

namespace HierReason.Core.Tests.Answers;

public class NumericAnswerTests
{
    [Theory]
    [InlineData("1000")]
    [InlineData("1,000")]
    [InlineData("1000.0")]
    [InlineData(" 1000 ")]
    [InlineData("+1000")]
    [InlineData("1e3")]
    [InlineData("1000.")]
    public void Formatting_variants_of_the_gold_number_score_one(string answer)
        => Assert.Equal(1.0, NumericAnswer.Score(answer, 1000m));

    [Theory]
    [InlineData("1000", 100)]
    [InlineData("10", 100)]
    [InlineData("1001", 1000)]
    [InlineData("-1000", 1000)]
    [InlineData("1,00", 100)]
    [InlineData("10,00", 1000)]
    [InlineData("1000 apples", 1000)]
    [InlineData("", 0)]
    public void Wrong_or_malformed_numbers_score_zero(string answer, int gold)
        => Assert.Equal(0.0, NumericAnswer.Score(answer, gold));

    [Theory]
    [InlineData("007", "7")]
    [InlineData("123456789012345678", "123456789012345678")]
    [InlineData("1234567890123456789", "1234567890123456789")]
    [InlineData("99999999999999999999999", "99999999999999999999999")]
    [InlineData("0", "0")]
    public void Plain_digit_strings_read_as_their_exact_value_at_any_length(string text, string expected)
    {
        Assert.True(NumericAnswer.TryParse(text, out var v));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
    }
}
