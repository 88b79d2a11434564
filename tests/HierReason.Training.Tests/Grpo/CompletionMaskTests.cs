using HierReason.Core.Episodes;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Grpo;

public class CompletionMaskTests
{
    private readonly ByteTokenizer _tokenizer = new();

    private Segment Seg(Actor actor, string text) => new(actor, text, _tokenizer.Encode(text));

    private Episode Make(EpisodeEnd end, params (Actor Actor, string Text)[] turns)
    {
        var episode = new Episode(Seg(Actor.Prompt, "prompt"));
        foreach (var (actor, text) in turns) episode = episode.Append(Seg(actor, text));
        return episode.Finish(end);
    }

    [Fact]
    public void Rows_are_right_padded_with_environment_tokens_masked()
    {
        var mask = CompletionMask.Build(
        [
            Make(EpisodeEnd.Stop, (Actor.Policy, "ab"), (Actor.Environment, "r"), (Actor.Policy, "c")),
            Make(EpisodeEnd.Stop, (Actor.Policy, "x")),
        ], maskTruncated: false);
        Assert.Equal(new float[,] { { 1, 1, 0, 1 }, { 1, 0, 0, 0 } }, mask);
    }

    [Fact]
    public void Truncated_completions_are_masked_whole_only_when_asked()
    {
        Episode[] episodes = [Make(EpisodeEnd.Length, (Actor.Policy, "abc")), Make(EpisodeEnd.Stop, (Actor.Policy, "d"))];
        Assert.Equal(new float[,] { { 1, 1, 1 }, { 1, 0, 0 } }, CompletionMask.Build(episodes, maskTruncated: false));
        Assert.Equal(new float[,] { { 0, 0, 0 }, { 1, 0, 0 } }, CompletionMask.Build(episodes, maskTruncated: true));
    }
}
