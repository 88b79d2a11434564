using HierReason.Core.Episodes;
using HierReason.Core.Prompts;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Grpo;
using HierReason.Training.Tests.Sft;

namespace HierReason.Training.Tests.Grpo;

/// <summary><c>"process_reward": "&lt;PRM folder&gt;"</c>: step rewards from a process reward model.</summary>
public sealed class PrmStepRewardsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-prm-steps-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A PRM folder as <c>hierreason prm train --output</c> writes one: the tiny causal LM's trunk with a fresh 2-class head.</summary>
    internal static string PrmFolder(string root)
    {
        var lm = Path.Combine(root, "lm");
        using (var model = TinyRun.Model(5)) CheckpointSaver.Save(model, lm);
        TinyRun.Tokenizer.Save(lm);
        var prm = Path.Combine(root, "prm");
        using var head = PrmCheckpoint.FromCausalLM(lm, seed: 2);
        PrmCheckpoint.Save(head, prm, lm);
        return prm;
    }

    [Fact]
    public void Each_step_line_gets_the_prms_score_of_that_step_and_other_lines_none()
    {
        var folder = PrmFolder(_dir);
        var item = TinyRun.Items(1)[0];
        var text = "3 + 4 = 7\n\n7 + 1 = 8\n<answer>8</answer>";
        var episode = new Episode(new Segment(Actor.Prompt, "q", TinyRun.Tokenizer.Encode("q")), item)
            .Append(new Segment(Actor.Policy, text, [.. TinyRun.Tokenizer.Encode(text), TinyRun.Tokenizer.EosIds[0]])).Finish(EpisodeEnd.Stop);
        var lines = PolicyLines.Of(episode, TinyRun.Tokenizer);

        using var rewards = PrmStepRewards.Load(folder);
        var scores = rewards.Score([episode], [lines])[0];

        using var model = PrmCheckpoint.Load(folder);
        var expected = new PrmScorer(model, TokenizerLoader.Load(folder)).Score(TaskPrompt.For(item.Question), ["3 + 4 = 7", "7 + 1 = 8"]).StepScores;
        Assert.Equal([expected[0], null, expected[1], null], scores);
        Assert.All(expected, p => Assert.InRange(p, 0, 1));
    }
}
