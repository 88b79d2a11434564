using HierReason.Core.Episodes;
using HierReason.Core.Steps;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Grpo;
using HierReason.Training.Tests.Sft;

namespace HierReason.Training.Tests.Grpo;

/// <summary>Lines of the policy's text mapped to completion token indices, on the byte-level tokenizer the tiny models use.</summary>
public class PolicyLinesTests
{
    private static readonly ByteTokenizer Tokenizer = TinyRun.Tokenizer;

    private static Segment Policy(string text, bool eos = false) =>
        new(Actor.Policy, text, [.. Tokenizer.Encode(text), .. eos ? new[] { Tokenizer.EosIds[0] } : []]);

    private static Episode Episode(params Segment[] completion)
    {
        var item = TinyRun.Items(1)[0];
        var episode = new Episode(new Segment(Actor.Prompt, "q", Tokenizer.Encode("q")), item);
        foreach (var segment in completion) episode = episode.Append(segment);
        return episode.Finish(EpisodeEnd.Stop);
    }

    [Fact]
    public void Each_line_ends_at_the_token_that_completes_its_last_character()
    {
        // Byte tokens: "a→b" is a, three bytes of →, b; the line ends on b (token 4), the next line on "c" after the \n (token 6).
        var lines = PolicyLines.Of(Episode(Policy("a→b\nc\n\nd", eos: true)), Tokenizer);
        Assert.Equal(["a→b", "c", "", "d"], lines.Lines);
        Assert.Equal([4, 6, -1, 9], lines.EndTokens);
        // A character split over bytes belongs to the byte that completes it: "→" alone ends on its third byte.
        Assert.Equal([2], PolicyLines.Of(Episode(Policy("→")), Tokenizer).EndTokens);
    }

    [Fact]
    public void Environment_tokens_count_as_completion_positions_but_write_no_policy_text()
    {
        // Completion tokens: "1\n2" (0–2), the environment's "xyz" (3–5), "3" (6) then EOS (7). The policy's text is "1\n23".
        var episode = Episode(Policy("1\n2"), new Segment(Actor.Environment, "xyz", Tokenizer.Encode("xyz")), Policy("3", eos: true));
        var lines = PolicyLines.Of(episode, Tokenizer);
        Assert.Equal("1\n23", lines.Text);
        Assert.Equal([0, 6], lines.EndTokens);
        Assert.Equal(8, episode.CompletionTokenIds.Count);
    }

    [Fact]
    public void Special_tokens_write_their_text_and_a_stop_token_writes_none()
    {
        // "<answer>" and "</answer>" are single special ids of the byte tokenizer; the EOS ending the turn is not text.
        var lines = PolicyLines.Of(Episode(Policy("7\n<answer>7</answer>", eos: true)), Tokenizer);
        Assert.Equal(["7", "<answer>7</answer>"], lines.Lines);
        Assert.Equal([0, 4], lines.EndTokens);
    }

    [Fact]
    public void Oracle_steps_reward_correct_lines_1_incorrect_0_and_add_the_outcome_at_the_last_token()
    {
        var item = TinyRun.Items(1)[0];
        var gold = StepLines.Split(item.Solution);
        var checker = StepCheckerRegistry.Default.Get("chain_sum");
        // The gold steps, then a step past the last term (Incorrect), a blank line and the answer.
        var steps = string.Join('\n', gold[..^1]);
        var text = steps + "\n1 + 1 = 3\n\n" + gold[^1];
        var episode = Episode(Policy(text, eos: true));
        var lines = PolicyLines.Of(episode, Tokenizer);
        var rewards = new OracleStepRewards(StepCheckerRegistry.Default).Score(episode, lines);
        var expected = Enumerable.Repeat((double?)1.0, gold.Length - 1).Concat([0.0, null, null]);
        Assert.Equal(expected, rewards);
        Assert.Equal(checker.Judge(item, lines.Lines).Verdicts.Count, rewards.Count);

        var episodeSteps = EpisodeSteps.Of(episode.CompletionTokenIds.Count, lines, rewards, outcome: 0.5);
        // ASCII on bytes: the k-th step line ends at the character before its \n; the outcome ends on the EOS, the last token.
        var ends = new List<int>();
        for (var i = text.IndexOf('\n'); i >= 0 && ends.Count < gold.Length; i = text.IndexOf('\n', i + 1)) ends.Add(i - 1);
        Assert.Equal(ends.Select((end, k) => new StepReward(k < gold.Length - 1 ? 1 : 0, end))
            .Append(new StepReward(0.5, episode.CompletionTokenIds.Count - 1)), episodeSteps.Steps);
    }
}
