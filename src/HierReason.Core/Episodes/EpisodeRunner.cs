namespace HierReason.Core.Episodes;

/// <summary>
/// The one rollout loop, for GRPO and for benchmark jobs alike: prompts → a policy turn for every episode of the batch →
/// one environment call for every open episode → the next policy turn for those that go on → … until each episode stops,
/// runs out of tokens or turns, or the environment ends it. Evaluation and training differ only in the policy's sampling.
/// </summary>
public sealed class EpisodeRunner
{
    private readonly IEpisodePolicy _policy;
    private readonly EpisodeStrategy _strategy;
    private readonly EpisodeLimits _limits;

    public EpisodeRunner(IEpisodePolicy policy, EpisodeStrategy strategy, EpisodeLimits limits)
    {
        limits.Validate();
        _policy = policy;
        _strategy = strategy;
        _limits = limits;
    }

    public EpisodeStrategy Strategy => _strategy;

    /// <summary>The open episode of <paramref name="item"/>: its strategy prompt, rendered by the policy.</summary>
    public Episode Start(Tasks.TaskItem item) => new(_policy.Prompt(_strategy.Prompt(item)), item, _strategy.PolicyActor);

    /// <summary>Runs <paramref name="groupSize"/> episodes per item; the result is group-major (item 0's episodes first).</summary>
    public Task<IReadOnlyList<Episode>> RunAsync(IReadOnlyList<Tasks.TaskItem> items, int groupSize, long? seed, CancellationToken cancellationToken = default) =>
        RunAsync(items.Select(Start).ToArray(), groupSize, seed, cancellationToken);

    /// <summary>Runs <paramref name="groupSize"/> episodes from each open start; the result is group-major.</summary>
    public async Task<IReadOnlyList<Episode>> RunAsync(IReadOnlyList<Episode> starts, int groupSize, long? seed, CancellationToken cancellationToken = default)
    {
        if (groupSize < 1) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "at least one episode per start");
        if (starts.Count == 0) return [];
        var episodes = new Episode[starts.Count * groupSize];
        var environment = _strategy.Environment;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // When each episode's last turn was done: the round's start plus the row's own time where the policy reports it.
        var turnDone = new double[episodes.Length];
        // Episodes the environment ended: when its step returned.
        var environmentDone = new double?[episodes.Length];
        double Done(double roundStart, PolicyTurn turn) => turn.ElapsedMs is { } ms ? roundStart + ms : clock.Elapsed.TotalMilliseconds;

        // Round 0: every start, groupSize samples each (the policy can share each prompt's prefill across its group).
        var specs = starts.Select(Turn).ToArray();
        var roundStart = clock.Elapsed.TotalMilliseconds;
        var turns = await _policy.WriteAsync(starts, groupSize, specs, starts.Select((e, i) => Budget(e, specs[i])).ToArray(), seed, cancellationToken).ConfigureAwait(false);
        Check(turns, episodes.Length);
        var pending = new List<int>();
        for (var i = 0; i < episodes.Length; i++)
        {
            episodes[i] = Apply(starts[i / groupSize], turns[i], specs[i / groupSize], out var truncated);
            turnDone[i] = Done(roundStart, turns[i]);
            if (truncated) episodes[i] = episodes[i].Finish(EpisodeEnd.Length);
            else pending.Add(i);
        }

        for (var round = 1; pending.Count > 0; round++)
        {
            if (environment is null)
            {
                foreach (var i in pending) episodes[i] = episodes[i].Finish(EpisodeEnd.Stop);
                break;
            }
            var steps = await environment.NextAsync(pending.Select(i => episodes[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            var stepDone = clock.Elapsed.TotalMilliseconds;
            if (steps.Count != pending.Count)
                throw new InvalidOperationException($"environment '{environment.Name}' answered {steps.Count} steps for {pending.Count} episodes");
            var next = new List<int>();
            for (var k = 0; k < pending.Count; k++)
            {
                var i = pending[k];
                environmentDone[i] = stepDone;
                if (steps[k] is not { } step)
                {
                    episodes[i] = episodes[i].Finish(EpisodeEnd.Stop);
                    continue;
                }
                var episode = episodes[i].AddStats(step.Stats);
                if (step.Segment is { } segment)
                {
                    if (segment.Actor == episode.PolicyActor || segment.Actor == Actor.Prompt)
                        throw new InvalidOperationException($"environment '{environment.Name}' wrote a segment as {segment.Actor}; it may only write as another actor");
                    episode = episode.Append(_policy.UsesTokens && segment.TokenIds is null ? segment with { TokenIds = _policy.Encode(segment.Text) } : segment);
                }
                if (step.Terminal) episode = episode.Finish(EpisodeEnd.Terminal);
                else if (episode.PolicyTurns >= _limits.MaxTurns) episode = episode.Finish(EpisodeEnd.MaxTurns);
                else if (episode.PolicyTokenCount >= _limits.MaxPolicyTokens) episode = episode.Finish(EpisodeEnd.Length);
                else next.Add(i);
                episodes[i] = episode;
            }
            if (next.Count == 0) break;

            var open = next.Select(i => episodes[i]).ToArray();
            specs = open.Select(Turn).ToArray();
            var roundSeed = seed is { } s ? unchecked(s * 31 + round) : (long?)null;
            roundStart = clock.Elapsed.TotalMilliseconds;
            turns = await _policy.WriteAsync(open, 1, specs, open.Select((e, k) => Budget(e, specs[k])).ToArray(), roundSeed, cancellationToken).ConfigureAwait(false);
            Check(turns, open.Length);
            pending = [];
            for (var k = 0; k < next.Count; k++)
            {
                var i = next[k];
                episodes[i] = Apply(episodes[i], turns[k], specs[k], out var truncated);
                turnDone[i] = Done(roundStart, turns[k]);
                environmentDone[i] = null;
                if (truncated) episodes[i] = episodes[i].Finish(EpisodeEnd.Length);
                else pending.Add(i);
            }
        }
        for (var i = 0; i < episodes.Length; i++)
            episodes[i] = episodes[i] with { LatencyMs = Math.Round(environmentDone[i] ?? turnDone[i], 3) };
        return episodes;
    }

    private TurnSpec Turn(Episode episode)
    {
        var spec = _strategy.Environment?.NextTurn(episode) ?? TurnSpec.Open;
        if (spec.ChoiceTokens is not { } codes || !_policy.UsesTokens) return spec;
        // A token policy chooses by one code token per value: the same restricted softmax in sampling and in training.
        var ids = new int[codes.Count];
        for (var i = 0; i < codes.Count; i++)
        {
            var encoded = _policy.Encode(codes[i]) ?? throw new InvalidOperationException("a token policy encoded nothing");
            if (encoded.Count != 1)
                throw new HierReasonException($"strategy '{_strategy.Name}': the policy's tokenizer writes the choice code '{codes[i]}' as {encoded.Count} tokens; a choice needs one token per code");
            ids[i] = encoded[0];
        }
        if (ids.Distinct().Count() != ids.Length) throw new HierReasonException($"strategy '{_strategy.Name}': two choice codes are the same token");
        return spec with { AllowedTokenIds = ids, MaxTokens = 1 };
    }

    private int Budget(Episode episode, TurnSpec spec)
    {
        var left = _limits.MaxPolicyTokens - episode.PolicyTokenCount;
        return Math.Max(0, spec.MaxTokens is { } cap ? Math.Min(cap, left) : left);
    }

    /// <summary>The episode with the turn appended; <paramref name="truncated"/> when the turn ran out of the episode's tokens (or the context).</summary>
    private Episode Apply(Episode episode, PolicyTurn turn, TurnSpec spec, out bool truncated)
    {
        var segment = new Segment(episode.PolicyActor, turn.Text, turn.TokenIds)
        {
            AllowedTokenIds = spec.AllowedTokenIds,
            ReportedTokens = turn.TokenIds is null ? turn.Tokens : null,
            // A remote reasoning model's thinking, beside the answer it wrote: sample logs with transcripts keep it.
            Metadata = turn.Reasoning is { } reasoning ? new Dictionary<string, string> { ["reasoning"] = reasoning } : null,
        };
        var next = episode.Append(segment);
        // A turn that used up its own limit (a one-token label choice) ended normally; one that hit the episode's budget or the context did not.
        var usedOwnLimit = spec.MaxTokens is { } cap && turn.Tokens >= cap && next.PolicyTokenCount < _limits.MaxPolicyTokens;
        truncated = turn.End == TurnEnd.Length && !usedOwnLimit;
        return next;
    }

    private static void Check(IReadOnlyList<PolicyTurn> turns, int expected)
    {
        if (turns.Count != expected) throw new InvalidOperationException($"the policy wrote {turns.Count} turns for {expected} episodes");
    }
}
