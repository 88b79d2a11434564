using HierReason.Engine.Tokenizers;
using HierReason.Training.Episodes;

namespace HierReason.Training.Tests.Episodes;

public class CalculatorEnvironmentTests
{
    private readonly ByteTokenizer _tokenizer = new();

    private Episode After(params string[] policyTurns)
    {
        var episode = new Episode(Segment.Encode(SegmentSource.Prompt, "Q:", _tokenizer));
        foreach (var turn in policyTurns) episode = episode.Append(Segment.Encode(SegmentSource.Policy, turn, _tokenizer));
        return episode;
    }

    [Theory]
    [InlineData("I need <calc>3 * (4 + 5)</calc>", "<result>27</result>")]
    [InlineData("<calc>1</calc> then <calc>10 - 12</calc>", "<result>-2</result>")]
    [InlineData("<calc>7 / 2</calc>\n", "<result>7/2</result>")]
    [InlineData("<calc>1 / 0</calc>", "<result>error</result>")]
    [InlineData("<calc>System.IO.File.Delete(\"x\")</calc>", "<result>error</result>")]
    public void Evaluates_the_last_calc_block_the_policy_closed(string policy, string expected)
    {
        var env = new CalculatorEnvironment(_tokenizer);
        var segment = env.Next(After(policy));
        Assert.NotNull(segment);
        Assert.Equal(SegmentSource.Environment, segment.Source);
        Assert.Equal(expected, segment.Text);
        Assert.Equal(_tokenizer.Encode(expected), segment.TokenIds);
    }

    [Theory]
    [InlineData("<answer>27</answer>")]
    [InlineData("<calc>3 * 9</calc> so <answer>27</answer>")]
    [InlineData("no open tag 3 * 9</calc>")]
    public void Says_done_when_the_policy_did_not_end_on_a_calc_call(string policy)
        => Assert.Null(new CalculatorEnvironment(_tokenizer).Next(After(policy)));

    [Fact]
    public void Stops_answering_after_max_calls()
    {
        var env = new CalculatorEnvironment(_tokenizer, maxCalls: 2);
        var episode = After("<calc>1+1</calc>");
        for (var call = 0; call < 2; call++)
        {
            var result = env.Next(episode);
            Assert.NotNull(result);
            episode = episode.Append(result).Append(Segment.Encode(SegmentSource.Policy, "<calc>2+2</calc>", _tokenizer));
        }
        Assert.Null(env.Next(episode));
        Assert.Equal(2, episode.EnvironmentTurns);
    }

    [Fact]
    public void Results_are_masked_out_of_the_loss()
    {
        var env = new CalculatorEnvironment(_tokenizer);
        var episode = After("<calc>2*3</calc>");
        episode = episode.Append(env.Next(episode)!).Append(Segment.Encode(SegmentSource.Policy, "6", _tokenizer));
        var mask = episode.CompletionLossMask;
        var policyTokens = "<calc>2*3</calc>".Length;
        var resultTokens = "<result>6</result>".Length;
        Assert.Equal(policyTokens + resultTokens + 1, mask.Count);
        Assert.All(mask.Take(policyTokens), m => Assert.Equal(1, m));
        Assert.All(mask.Skip(policyTokens).Take(resultTokens), m => Assert.Equal(0, m));
        Assert.Equal(1, mask[^1]);
    }

    [Fact]
    public void A_negative_call_budget_is_a_user_error()
        => Assert.Throws<TrainingException>(() => new CalculatorEnvironment(_tokenizer, maxCalls: -1));
}
