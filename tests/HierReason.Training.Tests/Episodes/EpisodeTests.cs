using HierReason.Engine.Generation;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Episodes;

namespace HierReason.Training.Tests.Episodes;

public class EpisodeTests
{
    private readonly ByteTokenizer _tokenizer = new();

    private Segment Seg(SegmentSource source, string text) => Segment.Encode(source, text, _tokenizer);

    [Fact]
    public void Loss_mask_is_one_only_on_policy_tokens()
    {
        var episode = new Episode(Seg(SegmentSource.Prompt, "Q:"))
            .Append(Seg(SegmentSource.Policy, "ab"))
            .Append(Seg(SegmentSource.Environment, "xyz"))
            .Append(Seg(SegmentSource.Policy, "c"));

        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 1], episode.LossMask);
        Assert.Equal([1, 1, 0, 0, 0, 1], episode.CompletionLossMask);
        Assert.Equal("Q:abxyzc"u8.ToArray().Select(b => (int)b), episode.TokenIds);
        Assert.Equal("abxyzc"u8.ToArray().Select(b => (int)b), episode.CompletionTokenIds);
        Assert.Equal(3, episode.PolicyTokenCount);
        Assert.Equal("abxyzc", episode.CompletionText);
        Assert.Equal("c", episode.FinalPolicyText);
        Assert.Equal(1, episode.EnvironmentTurns);
    }

    [Fact]
    public void Special_tokens_count_as_one_masked_or_trained_token()
    {
        var episode = new Episode(Seg(SegmentSource.Prompt, "<|im_start|>"))
            .Append(Seg(SegmentSource.Policy, "<answer>7</answer>"));

        Assert.Equal([0, 1, 1, 1], episode.LossMask);
        Assert.Equal(3, episode.PolicyTokenCount);
    }

    [Fact]
    public void A_length_stop_marks_the_episode_truncated_and_an_eos_stop_does_not()
    {
        var open = new Episode(Seg(SegmentSource.Prompt, "Q")).Append(Seg(SegmentSource.Policy, "a"));
        Assert.Null(open.FinishReason);
        Assert.True(open.Finish(FinishReason.Length).Truncated);
        Assert.False(open.Finish(FinishReason.Stop).Truncated);
        Assert.Equal(FinishReason.Length, open.Finish(FinishReason.Length).FinishReason);
    }

    [Fact]
    public void Only_the_first_segment_may_be_a_prompt()
    {
        Assert.Throws<ArgumentException>(() => new Episode(Seg(SegmentSource.Policy, "a")));
        var episode = new Episode(Seg(SegmentSource.Prompt, "Q"));
        Assert.Throws<ArgumentException>(() => episode.Append(Seg(SegmentSource.Prompt, "again")));
    }

    [Fact]
    public void Appending_leaves_the_original_episode_unchanged()
    {
        var episode = new Episode(Seg(SegmentSource.Prompt, "Q"));
        var longer = episode.Append(Seg(SegmentSource.Policy, "a"));
        Assert.Single(episode.Segments);
        Assert.Equal(2, longer.Segments.Count);
        Assert.Equal("", episode.FinalPolicyText);
    }
}
