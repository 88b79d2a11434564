using HierReason.Backends;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Reasoning.Policies;

namespace HierReason.Reasoning.Tests.Policies;

/// <summary>Choice turns through <see cref="BackendPolicy"/>: sent as a constrained choice, written as the chosen value.</summary>
public sealed class BackendPolicyChoiceTests
{
    private static readonly ChoiceSpec Thoughts = new("next_thought_type", ["Active computation", "Finish thinking"]);

    [Fact]
    public async Task A_choice_turn_is_sent_as_a_constrained_choice_and_written_as_the_chosen_value()
    {
        var backend = new Replying(["{\"next_thought_type\": \"Finish thinking\"}", "```json\n{\"next_thought_type\": \"Active computation\"}\n```"]);
        var policy = new BackendPolicy(backend, PromptMode.Chat, null, new SamplingSettings { Temperature = 0.5, Stop = ["}"] });
        var episode = new Episode(policy.Prompt("next?"));

        var turns = await policy.WriteAsync([episode], 2, [TurnSpec.Open with { Choice = Thoughts }], [200], 4, CancellationToken.None);

        Assert.Equal(["Finish thinking", "Active computation"], turns.Select(t => t.Text));
        Assert.All(turns, t => Assert.Equal(TurnEnd.EndOfSequence, t.End));
        var sent = Assert.Single(backend.Settings);
        Assert.Equal(("next_thought_type", Thoughts.Values), (sent.Choice!.Field, sent.Choice.Values));
        Assert.Empty(sent.Stop);
        Assert.True(sent.MaxTokens >= 64);
        Assert.Equal((2, 4L, 0.5), (sent.N, sent.Seed!.Value, sent.Temperature));
    }

    [Fact]
    public async Task A_reply_that_chooses_no_value_is_kept_raw_for_the_environment_to_fall_back()
    {
        var policy = new BackendPolicy(new Replying(["I think we should compute"]), PromptMode.Chat, null, new SamplingSettings());
        var turns = await policy.WriteAsync([new Episode(policy.Prompt("next?"))], 1, [TurnSpec.Open with { Choice = Thoughts }], [200], null, CancellationToken.None);
        Assert.Equal("I think we should compute", Assert.Single(turns).Text);
    }

    [Fact]
    public async Task Free_and_choice_turns_go_in_separate_requests_and_restricted_token_ids_alone_are_still_refused()
    {
        var backend = new Replying(["free text"]);
        var policy = new BackendPolicy(backend, PromptMode.Text, null, new SamplingSettings());
        var episodes = new[] { new Episode(policy.Prompt("a")), new Episode(policy.Prompt("b")) };

        await policy.WriteAsync(episodes, 1, [TurnSpec.Open, TurnSpec.Open with { Choice = Thoughts }], [100, 100], null, CancellationToken.None);

        Assert.Equal([false, true], backend.Settings.Select(s => s.Choice is not null).Order());
        await Assert.ThrowsAsync<HierReasonException>(() =>
            policy.WriteAsync([episodes[0]], 1, [new TurnSpec([], AllowedTokenIds: [1, 2])], [100], null, CancellationToken.None));
    }

    /// <summary>A backend that answers every completion with its replies in turn, keeping the settings of each call.</summary>
    private sealed class Replying(IReadOnlyList<string> replies) : IModelBackend
    {
        private int _next;

        public List<SamplingSettings> Settings { get; } = [];

        public string Name => "replying";

        public BackendCapabilities Capabilities => new(false, false, null);

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default) =>
            Answer(prompts.Count, settings);

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default) =>
            Answer(conversations.Count, settings);

        private Task<IReadOnlyList<IReadOnlyList<Completion>>> Answer(int count, SamplingSettings settings)
        {
            lock (Settings) Settings.Add(settings);
            return Task.FromResult<IReadOnlyList<IReadOnlyList<Completion>>>(Enumerable.Range(0, count).Select(_ =>
                (IReadOnlyList<Completion>)Enumerable.Range(0, settings.N).Select(_ => new Completion(replies[_next++ % replies.Count], "stop", 3, 9)).ToArray()).ToArray());
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
