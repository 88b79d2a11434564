using HierReason.Core.Episodes;
using HierReason.Reasoning.Strategies;

namespace HierReason.Reasoning.Tests.Strategies;

public class CalculatorEnvironmentTests
{
    private static Episode After(params string[] policyTurns)
    {
        var episode = new Episode(new Segment(Actor.Prompt, "Q:"));
        foreach (var turn in policyTurns) episode = episode.Append(new Segment(Actor.Policy, turn));
        return episode;
    }

    private static async Task<EnvironmentStep?> Next(CalculatorEnvironment env, Episode episode) => (await env.NextAsync([episode], default))[0];

    [Theory]
    [InlineData("I need <calc>3 * (4 + 5)</calc>", "<result>27</result>")]
    [InlineData("<calc>1</calc> then <calc>10 - 12</calc>", "<result>-2</result>")]
    [InlineData("<calc>7 / 2</calc>\n", "<result>7/2</result>")]
    [InlineData("<calc>1 / 0</calc>", "<result>error</result>")]
    [InlineData("<calc>System.IO.File.Delete(\"x\")</calc>", "<result>error</result>")]
    public async Task Evaluates_the_last_calc_block_the_policy_closed(string policy, string expected)
    {
        var step = await Next(new CalculatorEnvironment(), After(policy));
        Assert.NotNull(step);
        Assert.False(step.Terminal);
        Assert.Equal(Actor.Environment, step.Segment!.Actor);
        Assert.Equal(expected, step.Segment.Text);
        Assert.Equal(expected.Contains("error", StringComparison.Ordinal) ? 1.0 : 0.0, step.Stats!["call_errors"]);
    }

    [Theory]
    [InlineData("<answer>27</answer>")]
    [InlineData("<calc>3 * 9</calc> so <answer>27</answer>")]
    [InlineData("no open tag 3 * 9</calc>")]
    public async Task Says_done_when_the_policy_did_not_end_on_a_calc_call(string policy)
        => Assert.Null(await Next(new CalculatorEnvironment(), After(policy)));

    [Fact]
    public async Task Stops_answering_and_stops_ending_turns_after_max_calls()
    {
        var env = new CalculatorEnvironment(maxCalls: 2);
        var episode = After("<calc>1+1</calc>");
        Assert.Equal(["</calc>"], env.NextTurn(episode).EndAfter);
        for (var call = 0; call < 2; call++)
        {
            var step = await Next(env, episode);
            Assert.NotNull(step);
            episode = episode.Append(step.Segment!).Append(new Segment(Actor.Policy, "<calc>2+2</calc>"));
        }
        Assert.Null(await Next(env, episode));
        Assert.Empty(env.NextTurn(episode).EndAfter);
        Assert.Equal(2, episode.EnvironmentTurns);
    }

    [Fact]
    public async Task One_call_answers_every_open_episode_of_the_batch_in_order()
    {
        var steps = await new CalculatorEnvironment().NextAsync([After("<calc>1+1</calc>"), After("<answer>3</answer>"), After("<calc>2*5</calc>")], default);
        Assert.Equal(["<result>2</result>", null, "<result>10</result>"], steps.Select(s => s?.Segment?.Text));
    }

    [Fact]
    public void A_negative_call_budget_is_a_bug_of_the_caller()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new CalculatorEnvironment(maxCalls: -1));
}
