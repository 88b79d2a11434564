using HierReason.Core.Answers;
using HierReason.Core.Tasks;

namespace HierReason.Core.Episodes;

/// <summary>
/// One rollout: the prompt followed by the segments the policy and the environment wrote, in order. GRPO, SFT and
/// evaluation all read episodes, so a strategy only has to say who wrote what; only <see cref="PolicyActor"/>'s tokens
/// are trained. Immutable: <see cref="Append"/> and <see cref="Finish"/> return new episodes.
/// </summary>
public sealed record Episode
{
    /// <summary>An open episode holding only its prompt.</summary>
    /// <param name="item">The task item the episode works on (null for free prompts).</param>
    /// <param name="policyActor">The actor being trained and sampled (default <see cref="Actor.Policy"/>).</param>
    public Episode(Segment prompt, TaskItem? item = null, Actor? policyActor = null)
    {
        if (prompt.Actor != Actor.Prompt)
            throw new ArgumentException($"an episode starts with a prompt segment, not {prompt.Actor}", nameof(prompt));
        Segments = [prompt];
        Item = item;
        PolicyActor = policyActor ?? Actor.Policy;
        if (PolicyActor == Actor.Prompt) throw new ArgumentException("the prompt cannot be the policy", nameof(policyActor));
        Stats = Empty;
    }

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();

    /// <summary>Every segment, the prompt first.</summary>
    public IReadOnlyList<Segment> Segments { get; private init; }

    public TaskItem? Item { get; }

    /// <summary>The actor whose segments are sampled and trained.</summary>
    public Actor PolicyActor { get; }

    /// <summary>Why the episode ended; null while it is open.</summary>
    public EpisodeEnd? End { get; private init; }

    /// <summary>
    /// How long the episode took, in milliseconds, from the start of its batch until it ended (set by the
    /// <see cref="EpisodeRunner"/>; a row of a batched decode that stops early ends early). Null for episodes not run by it.
    /// </summary>
    public double? LatencyMs { get; init; }

    /// <summary>What the environment counted along the way (worker tokens, searches, …), summed over its steps.</summary>
    public IReadOnlyDictionary<string, double> Stats { get; private init; }

    /// <summary>Whether the policy ran out of its token budget before finishing.</summary>
    public bool Truncated => End == EpisodeEnd.Length;

    public Segment Prompt => Segments[0];

    /// <summary>The segments after the prompt.</summary>
    public IEnumerable<Segment> Completion => Segments.Skip(1);

    public bool IsPolicy(Segment segment) => segment.Actor == PolicyActor;

    /// <summary>Segments written by the policy, in order.</summary>
    public IEnumerable<Segment> PolicySegments => Completion.Where(IsPolicy);

    /// <summary>Segments written by anyone but the prompt and the policy (tools, workers, searchers), in order.</summary>
    public IEnumerable<Segment> EnvironmentSegments => Completion.Where(s => !IsPolicy(s));

    /// <summary>All token ids, prompt included; every segment must carry ids.</summary>
    public IReadOnlyList<int> TokenIds => Segments.SelectMany(Ids).ToArray();

    /// <summary>The token ids after the prompt.</summary>
    public IReadOnlyList<int> CompletionTokenIds => Completion.SelectMany(Ids).ToArray();

    /// <summary>1 on every policy token of <see cref="CompletionTokenIds"/>, 0 on every other actor's.</summary>
    public IReadOnlyList<int> CompletionLossMask =>
        Completion.SelectMany(s => Enumerable.Repeat(IsPolicy(s) ? 1 : 0, Ids(s).Count)).ToArray();

    /// <summary>1 on every policy token of <see cref="TokenIds"/>, 0 on the prompt's and every other actor's.</summary>
    public IReadOnlyList<int> LossMask => Enumerable.Repeat(0, Ids(Prompt).Count).Concat(CompletionLossMask).ToArray();

    public int PolicyTokenCount => PolicySegments.Sum(s => s.TokenCount);

    public int PolicyTurns => PolicySegments.Count();

    /// <summary>How many segments actors other than the policy inserted.</summary>
    public int EnvironmentTurns => EnvironmentSegments.Count();

    /// <summary>The text after the prompt, every actor's.</summary>
    public string CompletionText => string.Concat(Completion.Select(s => s.Text));

    /// <summary>The policy's text only, its segments joined in order.</summary>
    public string PolicyText => string.Concat(PolicySegments.Select(s => s.Text));

    /// <summary>The text of the last policy segment, or empty when the policy has not spoken.</summary>
    public string FinalPolicyText => PolicySegments.LastOrDefault()?.Text ?? "";

    /// <summary>
    /// The answer read from <paramref name="source"/>: the last complete <c>&lt;answer&gt;</c> pair of the last segment
    /// of that source holding one (per segment, so a tag can never be stitched across actors), or null.
    /// </summary>
    public string? Answer(AnswerSource source)
    {
        if (source == AnswerSource.Completion) return AnswerExtractor.Extract(CompletionText);
        var segments = source == AnswerSource.Policy ? PolicySegments : EnvironmentSegments;
        foreach (var segment in segments.Reverse())
            if (AnswerExtractor.Extract(segment.Text) is { } answer) return answer;
        return null;
    }

    /// <summary>Whether the text of <paramref name="source"/> holds exactly one well-formed answer pair (the format reward's check).</summary>
    public bool IsWellFormed(AnswerSource source) => AnswerExtractor.IsWellFormed(source switch
    {
        AnswerSource.Policy => PolicyText,
        AnswerSource.Environment => string.Concat(EnvironmentSegments.Select(s => s.Text)),
        _ => CompletionText,
    });

    /// <summary>This episode with <paramref name="segment"/> appended; a closed episode or a second prompt is a bug.</summary>
    public Episode Append(Segment segment)
    {
        if (End is not null) throw new InvalidOperationException("the episode has ended");
        if (segment.Actor == Actor.Prompt) throw new ArgumentException("only the first segment of an episode is the prompt", nameof(segment));
        return this with { Segments = [.. Segments, segment] };
    }

    /// <summary>This episode with <paramref name="stats"/> added to its statistics (values of the same name are summed).</summary>
    public Episode AddStats(IReadOnlyDictionary<string, double>? stats)
    {
        if (stats is null || stats.Count == 0) return this;
        var merged = new Dictionary<string, double>(Stats, StringComparer.Ordinal);
        foreach (var (name, value) in stats) merged[name] = merged.GetValueOrDefault(name) + value;
        return this with { Stats = merged };
    }

    /// <summary>This episode closed for <paramref name="end"/>.</summary>
    public Episode Finish(EpisodeEnd end) => this with { End = end };

    /// <summary>
    /// The episode up to its last policy token, for a loss: what follows is masked out of every loss anyway, and an
    /// environment's reply that arrived once the context was nearly full (the policy then gets an empty turn) can reach
    /// past the model's positions. Unchanged when a policy token is last or the policy wrote none.
    /// </summary>
    public Episode UpToLastPolicyToken()
    {
        for (var i = Segments.Count - 1; i > 0; i--)
            if (IsPolicy(Segments[i]) && Ids(Segments[i]).Count > 0)
                return i == Segments.Count - 1 ? this : this with { Segments = Segments.Take(i + 1).ToArray() };
        return this;
    }

    private static IReadOnlyList<int> Ids(Segment segment) =>
        segment.TokenIds ?? throw new InvalidOperationException($"a {segment.Actor} segment has no token ids (a text-only policy wrote this episode)");
}
