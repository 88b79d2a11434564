using System.Text;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Episodes;

public class EpisodeRunnerTests
{
    private static readonly IReasoningTask Chain = TaskRegistry.Default.Get("chain_sum");
    private static readonly TaskItem[] Items = Enumerable.Range(0, 3).Select(i => Chain.Generate(Chain.DefaultConfig, Split.Test, 0, i)).ToArray();

    private static int[] Ids(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    /// <summary>A policy on byte ids whose turns a function writes from (episode, sample, turn spec); it records every call.</summary>
    private sealed class ScriptedPolicy(Func<Episode, int, TurnSpec, string> write, Func<Episode, double?>? elapsedMs = null) : IEpisodePolicy
    {
        public List<(int Episodes, int Samples, int[] Budgets)> Calls { get; } = [];
        public bool UsesTokens => true;
        public Segment Prompt(string message) => new(Actor.Prompt, message, Ids(message));
        public IReadOnlyList<int>? Encode(string text) => Ids(text);

        public Task<IReadOnlyList<PolicyTurn>> WriteAsync(IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns,
            IReadOnlyList<int> budgets, long? seed, CancellationToken cancellationToken)
        {
            Calls.Add((episodes.Count, samples, budgets.ToArray()));
            var result = new List<PolicyTurn>();
            for (var i = 0; i < episodes.Count; i++)
                for (var s = 0; s < samples; s++)
                {
                    var text = write(episodes[i], s, turns[i]);
                    var end = turns[i].EndAfter.FirstOrDefault(e => text.Contains(e, StringComparison.Ordinal)) is { } cut
                        ? TurnEnd.EndAfter : TurnEnd.EndOfSequence;
                    if (end == TurnEnd.EndAfter) text = text[..(text.IndexOf(turns[i].EndAfter[0], StringComparison.Ordinal) + turns[i].EndAfter[0].Length)];
                    var ids = Ids(text);
                    if (ids.Length > budgets[i]) (ids, text, end) = (ids[..budgets[i]], text[..budgets[i]], TurnEnd.Length);
                    result.Add(new PolicyTurn(text, ids, end, ids.Length, ElapsedMs: elapsedMs?.Invoke(episodes[i])));
                }
            return Task.FromResult<IReadOnlyList<PolicyTurn>>(result);
        }
    }

    /// <summary>Answers "ask" turns with "ok" (non-terminal), "done" turns with a terminal worker segment, anything else with nothing.</summary>
    private sealed class EchoEnvironment : IEnvironment
    {
        public List<int> Rounds { get; } = [];
        public string Name => "echo";
        public TurnSpec NextTurn(Episode episode) => new(["?"]);

        public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken)
        {
            Rounds.Add(episodes.Count);
            return Task.FromResult<IReadOnlyList<EnvironmentStep?>>(episodes.Select(e => e.FinalPolicyText switch
            {
                var t when t.EndsWith("ask?", StringComparison.Ordinal) => EnvironmentStep.Continue(new Segment(Actor.Environment, "ok."), new Dictionary<string, double> { ["asks"] = 1 }),
                var t when t.EndsWith("done?", StringComparison.Ordinal) => EnvironmentStep.Last(new Segment(Actor.Worker, "<answer>w</answer>")),
                _ => (EnvironmentStep?)null,
            }).ToArray());
        }
    }

    [Fact]
    public async Task Each_episode_takes_the_time_its_own_row_took_not_the_batchs()
    {
        // The policy says when each row was done within the call: item 0 after 5 ms, item 1 after 400 ms, item 2 untimed.
        var policy = new ScriptedPolicy((e, _, _) => "x", e => e.Item!.Id == Items[0].Id ? 5 : e.Item.Id == Items[1].Id ? 400 : null);

        var episodes = await new EpisodeRunner(policy, EpisodeStrategy.Vanilla, new EpisodeLimits(100)).RunAsync(Items, 1, null);

        Assert.InRange(episodes[0].LatencyMs!.Value, 5, 400);
        Assert.InRange(episodes[1].LatencyMs!.Value, 400, 10_000);
        // A row the policy does not time ends when the call returned.
        Assert.True(episodes[2].LatencyMs >= 0);
    }

    [Fact]
    public async Task Vanilla_runs_one_turn_per_sample_in_one_batched_call_group_major()
    {
        var policy = new ScriptedPolicy((e, s, _) => $"{e.Item!.Id}/{s}");
        var runner = new EpisodeRunner(policy, EpisodeStrategy.Vanilla, new EpisodeLimits(100));

        var episodes = await runner.RunAsync(Items, groupSize: 2, seed: 1);

        Assert.Equal(6, episodes.Count);
        Assert.Equal(Items.SelectMany(i => new[] { $"{i.Id}/0", $"{i.Id}/1" }), episodes.Select(e => e.CompletionText));
        Assert.All(episodes, e => Assert.Equal(EpisodeEnd.Stop, e.End));
        Assert.Equal(Core.Prompts.TaskPrompt.For(Items[0].Question), episodes[0].Prompt.Text);
        Assert.Equal([(3, 2, new[] { 100, 100, 100 })], policy.Calls.Select(c => (c.Episodes, c.Samples, c.Budgets)).ToArray(),
            new CallComparer());
    }

    [Fact]
    public async Task The_environment_is_called_once_per_round_for_every_open_episode()
    {
        // Item 0 asks twice then stops; item 1 asks once then hands over to the worker; item 2 never asks.
        var scripts = new Dictionary<string, string[]>
        {
            [Items[0].Id] = ["ask?", "ask?", "fine"],
            [Items[1].Id] = ["ask?", "done?"],
            [Items[2].Id] = ["<answer>x</answer>"],
        };
        var policy = new ScriptedPolicy((e, _, _) => scripts[e.Item!.Id][e.PolicyTurns]);
        var environment = new EchoEnvironment();
        var strategy = new EpisodeStrategy { Name = "echo", Environment = environment };
        var episodes = await new EpisodeRunner(policy, strategy, new EpisodeLimits(100)).RunAsync(Items, 1, seed: 5);

        Assert.Equal([3, 2, 1], environment.Rounds);
        Assert.Equal([3, 2, 1], policy.Calls.Select(c => c.Episodes));
        Assert.Equal("ask?ok.ask?ok.fine", episodes[0].CompletionText);
        Assert.Equal((EpisodeEnd.Stop, 2.0), (episodes[0].End!.Value, episodes[0].Stats["asks"]));
        Assert.Equal(EpisodeEnd.Terminal, episodes[1].End);
        Assert.Equal([Actor.Policy, Actor.Environment, Actor.Policy, Actor.Worker], episodes[1].Completion.Select(s => s.Actor));
        Assert.Equal("w", episodes[1].Answer(AnswerSource.Environment));
        Assert.Equal(EpisodeEnd.Stop, episodes[2].End);
        // Environment text is tokenised by the policy and masked.
        Assert.Equal(Ids("ok."), episodes[0].Segments[2].TokenIds);
        Assert.Equal(Ids("ask?ok.ask?ok.fine").Length, episodes[0].CompletionLossMask.Count);
        Assert.Equal(4 + 4 + 4, episodes[0].CompletionLossMask.Sum());
    }

    [Fact]
    public async Task The_token_budget_spans_all_policy_turns_and_its_end_truncates()
    {
        var policy = new ScriptedPolicy((_, _, _) => "ask?");
        var strategy = new EpisodeStrategy { Name = "echo", Environment = new EchoEnvironment() };
        var episode = (await new EpisodeRunner(policy, strategy, new EpisodeLimits(10)).RunAsync(Items[..1], 1, null))[0];

        // 4 + 4 tokens, then 2 left: the third turn is cut at the budget.
        Assert.Equal([10, 6, 2], policy.Calls.Select(c => c.Budgets[0]));
        Assert.Equal(10, episode.PolicyTokenCount);
        Assert.Equal(EpisodeEnd.Length, episode.End);
        Assert.True(episode.Truncated);
    }

    [Fact]
    public async Task The_turn_limit_ends_an_episode_that_never_stops()
    {
        var policy = new ScriptedPolicy((_, _, _) => "ask?");
        var strategy = new EpisodeStrategy { Name = "echo", Environment = new EchoEnvironment() };
        var episode = (await new EpisodeRunner(policy, strategy, new EpisodeLimits(1000, MaxTurns: 3)).RunAsync(Items[..1], 1, null))[0];
        Assert.Equal((3, EpisodeEnd.MaxTurns), (episode.PolicyTurns, episode.End!.Value));
    }

    [Fact]
    public async Task A_one_token_turn_that_fills_its_own_limit_is_not_a_truncation()
    {
        var policy = new ScriptedPolicy((_, _, turn) => turn.MaxTokens == 1 ? "AB" : "x");
        var environment = new ChoiceEnvironment();
        var episode = (await new EpisodeRunner(policy, new EpisodeStrategy { Name = "choice", Environment = environment }, new EpisodeLimits(50)).RunAsync(Items[..1], 1, null))[0];
        Assert.Equal("A<thought>x", episode.CompletionText);
        Assert.Equal([65], episode.Segments[1].AllowedTokenIds);
        Assert.Equal(EpisodeEnd.Stop, episode.End);
    }

    [Fact]
    public async Task An_environment_may_not_write_as_the_policy()
    {
        var policy = new ScriptedPolicy((_, _, _) => "ask?");
        var strategy = new EpisodeStrategy { Name = "bad", Environment = new ImpostorEnvironment() };
        await Assert.ThrowsAsync<InvalidOperationException>(() => new EpisodeRunner(policy, strategy, new EpisodeLimits(10)).RunAsync(Items[..1], 1, null));
    }

    /// <summary>First a one-token restricted choice, then a free turn.</summary>
    private sealed class ChoiceEnvironment : IEnvironment
    {
        public string Name => "choice";
        public TurnSpec NextTurn(Episode episode) => episode.PolicyTurns == 0 ? new TurnSpec([], AllowedTokenIds: [65], MaxTokens: 1) : TurnSpec.Open;
        public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EnvironmentStep?>>(episodes.Select(e => e.PolicyTurns == 1 ? EnvironmentStep.Continue(new Segment(Actor.Environment, "<thought>")) : null).ToArray());
    }

    private sealed class ImpostorEnvironment : IEnvironment
    {
        public string Name => "impostor";
        public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EnvironmentStep?>>(episodes.Select(_ => (EnvironmentStep?)EnvironmentStep.Continue(new Segment(Actor.Policy, "fake"))).ToArray());
    }

    private sealed class CallComparer : IEqualityComparer<(int, int, int[])>
    {
        public bool Equals((int, int, int[]) x, (int, int, int[]) y) => x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.SequenceEqual(y.Item3);
        public int GetHashCode((int, int, int[]) obj) => obj.Item1;
    }
}

public class MajorityVoteSelectorTests
{
    private static readonly Core.Tasks.IReasoningTask Chain = Core.Tasks.TaskRegistry.Default.Get("chain_sum");
    private static readonly Core.Tasks.TaskItem Item = Chain.Generate(Chain.DefaultConfig, Core.Tasks.Split.Test, 0, 0);

    private static int Pick(params string[] completions) => MajorityVoteSelector.Instance.Select(Item,
        completions.Select(c => new Episode(new Segment(Actor.Prompt, "p"), Item).Append(new Segment(Actor.Policy, c))).ToList(), AnswerSource.Policy);

    [Fact]
    public void The_most_common_answer_wins_and_its_first_episode_is_kept() =>
        Assert.Equal(1, Pick("<answer>7</answer>", "<answer>8</answer>", "no answer", "<answer> 8 </answer>", "<answer>7</answer>", "<answer>8</answer>"));

    [Fact]
    public void A_tie_goes_to_the_answer_given_first_and_without_answers_the_first_candidate_is_kept()
    {
        Assert.Equal(1, Pick("nothing", "<answer>5</answer>", "<answer>6</answer>", "<answer>6</answer>", "<answer>5</answer>"));
        Assert.Equal(0, Pick("nothing", "still nothing"));
    }
}
