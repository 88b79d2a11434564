using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Training.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Sft;

/// <summary>SFT on gold episodes with several actors: only the policy's segments are learned.</summary>
public class MultiSegmentSftTests
{
    private static readonly TaskItem Item = TinyRun.Items(1)[0];

    /// <summary>A thinker-style gold episode: search, retrieved information (masked), answer.</summary>
    private static EpisodeStrategy Searching(string information) => new()
    {
        Name = "searching",
        Gold = item => [
            new Segment(Actor.Policy, "<search>q</search>"),
            new Segment(Actor.Searcher, $"<information>{information}</information>"),
            new Segment(Actor.Policy, $"<answer>{item.Answer}</answer>"),
        ],
    };

    [Fact]
    public void Vanilla_gold_episodes_are_the_gold_solution_examples()
    {
        var episode = SftExample.ForEpisode(Item, EpisodeStrategy.Vanilla, TinyRun.Tokenizer, TinyRun.Template, 256)!;
        var plain = SftExample.For(Item, TinyRun.Tokenizer, TinyRun.Template, 256);
        Assert.Equal(plain.Ids, episode.Ids);
        Assert.Equal(plain.PromptLength, episode.PromptLength);
        Assert.Null(episode.Learned);
    }

    [Fact]
    public void Other_actors_segments_carry_no_loss_and_the_policys_do()
    {
        var example = SftExample.ForEpisode(Item, Searching("Doc 1"), TinyRun.Tokenizer, TinyRun.Template, 512)!;
        var search = TinyRun.Tokenizer.Encode("<search>q</search>").Length;
        var information = TinyRun.Tokenizer.Encode("<information>Doc 1</information>").Length;
        Assert.Equal(example.CompletionLength, example.Learned!.Length);
        Assert.All(example.Learned.Take(search), Assert.True);
        Assert.All(example.Learned.Skip(search).Take(information), Assert.False);
        Assert.All(example.Learned.Skip(search + information), Assert.True);

        using var batch = SftBatch.Collate([example], TinyRun.Tokenizer.PadId, CPU);
        var mask = batch.LossMask.data<float>().ToArray();
        // Target t is token t + 1: the searcher's tokens are exactly the masked completion targets.
        var masked = Enumerable.Range(0, mask.Length).Where(t => t >= example.PromptLength - 1 && mask[t] == 0).ToArray();
        Assert.Equal(Enumerable.Range(example.PromptLength - 1 + search, information), masked);
    }

    [Fact]
    public void A_masked_segment_at_the_end_changes_no_gradient()
    {
        // The searcher segment is last here, so nothing learned reads it: if it carried loss, its text would change the gradient.
        static EpisodeStrategy Trailing(string text) => new()
        {
            Name = "trailing",
            Gold = item => [new Segment(Actor.Policy, $"<answer>{item.Answer}</answer>"), new Segment(Actor.Searcher, text)],
        };
        var a = Gradient(SftExample.ForEpisode(Item, Trailing("<information>abc</information>"), TinyRun.Tokenizer, TinyRun.Template, 512)!);
        var b = Gradient(SftExample.ForEpisode(Item, Trailing("<information>XYZ</information>"), TinyRun.Tokenizer, TinyRun.Template, 512)!);
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() < 1e-7);
        // Learned text does change it (the check above can fail).
        static EpisodeStrategy Answering(string answer) => new()
        {
            Name = "answering",
            Gold = _ => [new Segment(Actor.Policy, $"<answer>{answer}</answer>")],
        };
        var c = Gradient(SftExample.ForEpisode(Item, Answering("1"), TinyRun.Tokenizer, TinyRun.Template, 512)!);
        var d = Gradient(SftExample.ForEpisode(Item, Answering("9"), TinyRun.Tokenizer, TinyRun.Template, 512)!);
        Assert.True(c.Zip(d, (x, y) => Math.Abs(x - y)).Max() > 1e-5);
    }

    [Fact]
    public void The_trainer_learns_gold_episodes_of_a_strategy()
    {
        using var model = TinyRun.Model();
        using var trainer = new SftTrainer(model, TinyRun.Tokenizer, TinyRun.Template, TinyRun.Settings(3), TinyRun.Items(4), strategy: Searching("Doc"));
        var first = trainer.TrainStep();
        Assert.True(double.IsFinite(first.Loss));
        Assert.Equal(2, trainer.DataPosition);
    }

    [Fact]
    public void A_strategy_without_gold_episodes_is_a_clear_error()
    {
        using var model = TinyRun.Model();
        using var trainer = new SftTrainer(model, TinyRun.Tokenizer, TinyRun.Template, TinyRun.Settings(1), TinyRun.Items(2),
            strategy: new EpisodeStrategy { Name = "none_gold", Gold = _ => null });
        Assert.Contains("no gold episode", Assert.Throws<TrainingException>(() => trainer.TrainStep()).Message);
    }

    private static float[] Gradient(SftExample example)
    {
        using var model = TinyRun.Model(2);
        using var batch = SftBatch.Collate([example], TinyRun.Tokenizer.PadId, CPU);
        using var loss = SftForward.Loss(model, batch);
        loss.backward();
        return model.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
    }
}
