using HierReason.Harness.Publishing;

namespace HierReason.Harness.Tests.Publishing;

public sealed class PublishContentTests
{
    [Fact]
    public void Text_within_the_limit_is_unchanged()
    {
        var text = new string('x', 100);
        Assert.Same(text, PublishContent.Truncate(text, 100));
    }

    [Fact]
    public void Text_over_the_limit_is_cut_to_exactly_the_limit_with_a_note()
    {
        var cut = PublishContent.Truncate(new string('x', 70_000), 65_535);
        Assert.Equal(65_535, cut.Length);
        Assert.EndsWith("*Truncated: GitHub allows 65,535 characters here; the full summary (70,000 characters) is summary.md in the results folder.*", cut);
    }

    [Theory]
    [InlineData(65_535)]
    [InlineData(65_534)]
    public void A_cut_never_splits_a_surrogate_pair(int limit)
    {
        // Two limits of different parity: one of them would cut between the halves of an emoji.
        var text = string.Concat(Enumerable.Repeat("😀", 40_000));
        var cut = PublishContent.Truncate(text, limit);
        var kept = cut[..cut.IndexOf("\n\n---", StringComparison.Ordinal)];
        Assert.Equal(0, kept.Length % 2);
        Assert.True(char.IsLowSurrogate(kept[^1]));
        Assert.InRange(cut.Length, limit - 1, limit);
    }
}
