using HierReason.Backends;
using HierReason.Core.Episodes;
using HierReason.Engine.Chat;

namespace HierReason.Reasoning.Policies;

/// <summary>
/// Any <see cref="IModelBackend"/> (an OpenAI-compatible endpoint, <c>hierreason serve</c>) as an episode policy, on text.
/// A turn's end-after strings are not sent as stop strings (the API drops a matched stop string and does not say which
/// one matched): the turn is generated and cut just after the first one it wrote. Episodes of equal budget share one
/// request per round. A turn with a <see cref="TurnSpec.Choice"/> is sent as a constrained choice
/// (<see cref="SamplingSettings.Choice"/>) and its text is the chosen value.
/// </summary>
public sealed class BackendPolicy(IModelBackend backend, PromptMode mode, ChatTemplate? template, SamplingSettings sampling) : IEpisodePolicy
{
    public bool UsesTokens => false;

    public Segment Prompt(string message) => new(Actor.Prompt,
        mode == PromptMode.Text && template is not null ? template.Render([ChatMessage.User(message)], addGenerationPrompt: true) : message);

    public IReadOnlyList<int>? Encode(string text) => null;

    public async Task<IReadOnlyList<PolicyTurn>> WriteAsync(
        IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets, long? seed, CancellationToken cancellationToken)
    {
        if (turns.Any(t => t.AllowedTokenIds is not null && t.Choice is null))
            throw new Core.HierReasonException($"{backend.Name}: restricted token choices need the local engine (a backend over HTTP has no token ids)");
        var results = new PolicyTurn[episodes.Count * samples];
        // Choices with equal values share a request (compared by value: each episode's turn spec is its own list).
        foreach (var group in Enumerable.Range(0, episodes.Count).GroupBy(i => (Budget: budgets[i], Choice: ChoiceKey(turns[i].Choice))))
        {
            var indices = group.ToArray();
            var budget = group.Key.Budget;
            var spec = turns[indices[0]].Choice;
            if (budget <= 0)
            {
                foreach (var i in indices)
                    for (var s = 0; s < samples; s++) results[i * samples + s] = new PolicyTurn("", null, TurnEnd.Length, 0);
                continue;
            }
            // An episode's later turns grow toward the model's context: the budget is cut to the room left, not refused.
            var settings = sampling with { N = samples, MaxTokens = budget, Seed = seed, FitContext = true };
            var choice = spec is null ? null : new ChoiceConstraint(spec.Field, spec.Values);
            // A choice is sent as a constrained choice with room for its whole JSON reply; a stop string must not cut it.
            if (choice is not null) settings = settings with { Choice = choice, MaxTokens = ChoiceTokens(choice), Stop = [] };
            var completions = mode == PromptMode.Chat
                ? await backend.ChatAsync(indices.Select(i => Conversation(episodes[i])).ToArray(), settings, cancellationToken).ConfigureAwait(false)
                : await backend.CompleteAsync(indices.Select(i => Text(episodes[i])).ToArray(), settings, cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < indices.Length; k++)
                for (var s = 0; s < samples; s++)
                    results[indices[k] * samples + s] = choice is null ? Turn(completions[k][s], turns[indices[k]]) : Chosen(completions[k][s], choice);
        }
        return results;
    }

    /// <summary>A choice turn's text is the chosen value; a reply that chose none of the values is kept raw (the environment falls back).</summary>
    private static string? ChoiceKey(ChoiceSpec? choice) => choice is null ? null : choice.Field + "\u0000" + string.Join("\u0000", choice.Values);

    private static PolicyTurn Chosen(Completion completion, ChoiceConstraint choice)
    {
        var value = choice.Parse(completion.Text);
        var end = value is null && completion.FinishReason == "length" ? TurnEnd.Length : TurnEnd.EndOfSequence;
        return new PolicyTurn(value ?? completion.Text, null, end, completion.CompletionTokens, ElapsedMs: completion.LatencyMs, Reasoning: completion.Reasoning);
    }

    /// <summary>Room for the longest JSON reply: its UTF-8 bytes bound its tokens (byte-level tokenizers), and at least 64.</summary>
    private static int ChoiceTokens(ChoiceConstraint choice) =>
        Math.Max(64, choice.Values.Max(v => System.Text.Encoding.UTF8.GetByteCount(choice.Reply(v))) + 8);

    private static PolicyTurn Turn(Completion completion, TurnSpec spec)
    {
        var text = completion.Text;
        var cut = spec.EndAfter.Select(s => (s, at: text.IndexOf(s, StringComparison.Ordinal))).Where(x => x.at >= 0).OrderBy(x => x.at).FirstOrDefault();
        if (cut.s is not null) return new PolicyTurn(text[..(cut.at + cut.s.Length)], null, TurnEnd.EndAfter, completion.CompletionTokens, ElapsedMs: completion.LatencyMs, Reasoning: completion.Reasoning);
        var end = completion.FinishReason == "length" ? TurnEnd.Length : TurnEnd.EndOfSequence;
        return new PolicyTurn(text, null, end, completion.CompletionTokens, ElapsedMs: completion.LatencyMs, Reasoning: completion.Reasoning);
    }

    /// <summary>The prompt as the user turn, then the policy's segments as assistant turns and everyone else's as user turns (consecutive ones joined).</summary>
    private static IReadOnlyList<Message> Conversation(Episode episode)
    {
        var messages = new List<Message> { new("user", episode.Prompt.Text) };
        foreach (var segment in episode.Completion)
        {
            var role = episode.IsPolicy(segment) ? "assistant" : "user";
            if (messages[^1].Role == role) messages[^1] = messages[^1] with { Content = messages[^1].Content + segment.Text };
            else messages.Add(new Message(role, segment.Text));
        }
        return messages;
    }

    private static string Text(Episode episode) => episode.Prompt.Text + episode.CompletionText;
}
