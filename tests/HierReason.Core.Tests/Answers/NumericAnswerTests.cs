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
}
