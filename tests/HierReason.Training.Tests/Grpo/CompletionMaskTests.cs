using HierReason.Engine.Generation;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Episodes;
using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Grpo;

public class CompletionMaskTests
{
    private readonly ByteTokenizer _tokenizer = new();

    private Episode Make(FinishReason reason, params (SegmentSource Source, string Text)[] turns)
    {
        var episode = new Episode(Segment.Encode(SegmentSource.Prompt, "prompt", _tokenizer));
        foreach (var (source, text) in turns) episode = episode.Append(Segment.Encode(source, text, _tokenizer));
        return episode.Finish(reason);
    }

    [Fact]
    public void Rows_are_right_padded_with_environment_tokens_masked()
    {
        var mask = CompletionMask.Build(
        [
            Make(FinishReason.Stop, (SegmentSource.Policy, "ab"), (SegmentSource.Environment, "r"), (SegmentSource.Policy, "c")),
            Make(FinishReason.Stop, (SegmentSource.Policy, "x")),
        ], maskTruncated: false);
        Assert.Equal(new float[,] { { 1, 1, 0, 1 }, { 1, 0, 0, 0 } }, mask);
    }

    [Fact]
    public void Truncated_completions_are_masked_whole_only_when_asked()
    {
        Episode[] episodes = [Make(FinishReason.Length, (SegmentSource.Policy, "abc")), Make(FinishReason.Stop, (SegmentSource.Policy, "d"))];
        Assert.Equal(new float[,] { { 1, 1, 1 }, { 1, 0, 0 } }, CompletionMask.Build(episodes, maskTruncated: false));
        Assert.Equal(new float[,] { { 0, 0, 0 }, { 1, 0, 0 } }, CompletionMask.Build(episodes, maskTruncated: true));
    }
}
