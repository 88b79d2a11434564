using System.Text;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Episodes;

public class EpisodeTests
{
    // Token ids as a byte tokenizer would give them: one per UTF-8 byte.
    private static Segment Seg(Actor actor, string text) => new(actor, text, Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray());

    private static readonly TaskItem Item = TaskRegistry.Default.Get("chain_sum").Generate(TaskRegistry.Default.Get("chain_sum").DefaultConfig, Split.Test, 0, 0);

    [Fact]
    public void Loss_mask_is_one_only_on_the_policy_actors_tokens()
    {
        var episode = new Episode(Seg(Actor.Prompt, "Q:"))
            .Append(Seg(Actor.Policy, "ab"))
            .Append(Seg(Actor.Environment, "xyz"))
            .Append(Seg(Actor.Policy, "c"));

        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 1], episode.LossMask);
        Assert.Equal([1, 1, 0, 0, 0, 1], episode.CompletionLossMask);
        Assert.Equal("Q:abxyzc"u8.ToArray().Select(b => (int)b), episode.TokenIds);
        Assert.Equal(3, episode.PolicyTokenCount);
        Assert.Equal("abxyzc", episode.CompletionText);
        Assert.Equal("abc", episode.PolicyText);
        Assert.Equal("c", episode.FinalPolicyText);
        Assert.Equal((2, 1), (episode.PolicyTurns, episode.EnvironmentTurns));
    }

    [Fact]
    public void For_a_loss_an_episode_ends_at_its_last_policy_token()
    {
        // The searcher's reply came when the context was full: the policy's next turn is empty, and the reply is masked.
        var open = new Episode(Seg(Actor.Prompt, "Q:"), Item)
            .Append(Seg(Actor.Policy, "ab"))
            .Append(Seg(Actor.Searcher, "xyz"));
        var full = open.Append(Seg(Actor.Policy, "")).Finish(EpisodeEnd.Length);

        var trimmed = full.UpToLastPolicyToken();

        Assert.Equal("Q:ab"u8.ToArray().Select(b => (int)b), trimmed.TokenIds);
        Assert.Equal([1, 1], trimmed.CompletionLossMask);
        Assert.Equal((EpisodeEnd.Length, Item), (trimmed.End!.Value, trimmed.Item));
        // Nothing to trim when a policy token is last, or when the policy wrote nothing.
        var ended = open.Append(Seg(Actor.Policy, "c"));
        Assert.Same(ended, ended.UpToLastPolicyToken());
        var silent = new Episode(Seg(Actor.Prompt, "Q:")).Append(Seg(Actor.Environment, "xyz"));
        Assert.Same(silent, silent.UpToLastPolicyToken());
    }

    [Fact]
    public void A_planner_episode_trains_the_planner_and_masks_the_worker()
    {
        var episode = new Episode(Seg(Actor.Prompt, "Q"), Item, Actor.Planner)
            .Append(Seg(Actor.Planner, "plan"))
            .Append(Seg(Actor.Worker, "<answer>5</answer>"));
        Assert.Equal([1, 1, 1, 1], episode.CompletionLossMask.Take(4));
        Assert.All(episode.CompletionLossMask.Skip(4), m => Assert.Equal(0, m));
        Assert.Equal(4, episode.PolicyTokenCount);
        Assert.Equal("5", episode.Answer(AnswerSource.Environment));
        Assert.Null(episode.Answer(AnswerSource.Policy));
    }

    [Fact]
    public void An_answer_inside_environment_text_is_never_the_policys_answer()
    {
        // A retrieved document quoting an answer tag, then a policy that answers something else, then one that does not answer.
        var answered = new Episode(Seg(Actor.Prompt, "Q"), Item)
            .Append(Seg(Actor.Policy, "<search>x</search>"))
            .Append(Seg(Actor.Searcher, "<information>Doc 1: <answer>42</answer></information>"))
            .Append(Seg(Actor.Policy, "<answer>7</answer>"));
        Assert.Equal("7", answered.Answer(AnswerSource.Policy));
        Assert.Equal("42", answered.Answer(AnswerSource.Environment));

        var silent = new Episode(Seg(Actor.Prompt, "Q"), Item)
            .Append(Seg(Actor.Policy, "<search>x</search>"))
            .Append(Seg(Actor.Searcher, "<answer>42</answer>"))
            .Append(Seg(Actor.Policy, "I do not know"));
        Assert.Null(silent.Answer(AnswerSource.Policy));
        Assert.False(silent.IsWellFormed(AnswerSource.Policy));
        Assert.Equal("42", silent.Answer(AnswerSource.Completion));
    }

    [Fact]
    public void An_answer_tag_split_across_actors_is_not_stitched_together()
    {
        var episode = new Episode(Seg(Actor.Prompt, "Q"))
            .Append(Seg(Actor.Policy, "<answer>"))
            .Append(Seg(Actor.Environment, "9"))
            .Append(Seg(Actor.Policy, "</answer>"));
        Assert.Null(episode.Answer(AnswerSource.Policy));
    }

    [Fact]
    public void The_policys_last_answer_wins_across_its_turns()
    {
        var episode = new Episode(Seg(Actor.Prompt, "Q"))
            .Append(Seg(Actor.Policy, "<answer>1</answer><calc>1+1</calc>"))
            .Append(Seg(Actor.Environment, "<result>2</result>"))
            .Append(Seg(Actor.Policy, "so <answer>2</answer>"));
        Assert.Equal("2", episode.Answer(AnswerSource.Policy));
    }

    [Fact]
    public void Stats_of_steps_add_up_and_ending_is_final()
    {
        var episode = new Episode(Seg(Actor.Prompt, "Q"))
            .AddStats(new Dictionary<string, double> { ["calls"] = 1, ["worker_tokens"] = 10 })
            .AddStats(new Dictionary<string, double> { ["calls"] = 1 });
        Assert.Equal(2, episode.Stats["calls"]);
        Assert.Equal(10, episode.Stats["worker_tokens"]);
        var ended = episode.Finish(EpisodeEnd.Length);
        Assert.True(ended.Truncated);
        Assert.False(episode.Finish(EpisodeEnd.Terminal).Truncated);
        Assert.Throws<InvalidOperationException>(() => ended.Append(Seg(Actor.Policy, "more")));
    }

    [Fact]
    public void Only_the_first_segment_may_be_a_prompt_and_text_only_segments_have_no_ids()
    {
        Assert.Throws<ArgumentException>(() => new Episode(Seg(Actor.Policy, "a")));
        var episode = new Episode(new Segment(Actor.Prompt, "Q")).Append(new Segment(Actor.Policy, "abc") { ReportedTokens = 2 });
        Assert.Throws<ArgumentException>(() => episode.Append(Seg(Actor.Prompt, "again")));
        Assert.Equal(2, episode.PolicyTokenCount);
        Assert.Throws<InvalidOperationException>(() => episode.TokenIds);
    }

    [Theory]
    [InlineData("Policy")]
    [InlineData("")]
    [InlineData("a b")]
    public void Actor_names_are_lower_case_identifiers(string name) => Assert.Throws<ArgumentException>(() => new Actor(name));
}
