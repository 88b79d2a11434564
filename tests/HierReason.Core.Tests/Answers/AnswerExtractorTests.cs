using HierReason.Core.Answers;

namespace HierReason.Core.Tests.Answers;

public class AnswerExtractorTests
{
    [Theory]
    [InlineData("so <answer> 42 </answer>", "42")]
    [InlineData("<answer>1</answer> then <answer>2</answer>", "2")]
    [InlineData("<answer>3</answer> later <answer>5", "3")]
    [InlineData("<answer><answer>5</answer></answer>", "5")]
    [InlineData("<think><answer>9</answer></think><answer>7</answer>", "7")]
    [InlineData("<think>unfinished <answer>9</answer>", null)]
    [InlineData("reasoning</think><answer>8</answer>", "8")]
    [InlineData("no tags at all", null)]
    [InlineData("</answer>4<answer>", null)]
    [InlineData("", null)]
    public void Extracts_the_last_complete_answer_outside_thinking(string completion, string? expected)
        => Assert.Equal(expected, AnswerExtractor.Extract(completion));

    [Theory]
    [InlineData("steps\n<answer>12</answer>", true)]
    [InlineData("<think>x</think>\n<answer>12</answer>", true)]
    [InlineData("<answer>12</answer><answer>13</answer>", false)]
    [InlineData("<answer></answer>", false)]
    [InlineData("<answer>12", false)]
    [InlineData("<answer><answer>1</answer></answer>", false)]
    [InlineData("12", false)]
    public void Format_check_accepts_exactly_one_well_formed_pair(string completion, bool ok)
        => Assert.Equal(ok, AnswerExtractor.IsWellFormed(completion));

    [Fact]
    public void A_megabyte_of_repeated_open_tags_is_scanned_in_linear_time_without_throwing()
    {
        var huge = string.Concat(Enumerable.Repeat("<answer>", 131_072)) + "x</answer>";
        Assert.Equal("x", AnswerExtractor.Extract(huge));
        var noClose = string.Concat(Enumerable.Repeat("<answer>1 ", 100_000));
        Assert.Null(AnswerExtractor.Extract(noClose));
        var thinks = string.Concat(Enumerable.Repeat("<think>a</think>", 60_000)) + "<answer>z</answer>";
        Assert.Equal("z", AnswerExtractor.Extract(thinks));
    }
}
