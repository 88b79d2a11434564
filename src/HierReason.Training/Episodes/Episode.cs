using HierReason.Engine.Generation;

namespace HierReason.Training.Episodes;

/// <summary>
/// One rollout: the prompt followed by policy and environment segments in order. GRPO, SFT and evaluation all
/// read episodes, so a multi-turn strategy only has to say which tokens the policy wrote.
/// </summary>
public sealed record Episode
{
    /// <summary>An episode holding only its prompt.</summary>
    public Episode(Segment prompt)
    {
        if (prompt.Source != SegmentSource.Prompt)
            throw new ArgumentException($"an episode starts with a prompt segment, not {prompt.Source}", nameof(prompt));
        Segments = [prompt];
    }

    private Episode(IReadOnlyList<Segment> segments, bool truncated, FinishReason? finishReason)
    {
        Segments = segments;
        Truncated = truncated;
        FinishReason = finishReason;
    }

    /// <summary>Every segment, the prompt first.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>Whether the policy ran out of its token budget before finishing.</summary>
    public bool Truncated { get; }

    /// <summary>Why the last policy segment ended; null while the episode is still open.</summary>
    public FinishReason? FinishReason { get; }

    public Segment Prompt => Segments[0];

    /// <summary>The segments after the prompt (what the model and the environment wrote).</summary>
    public IEnumerable<Segment> Completion => Segments.Skip(1);

    /// <summary>All token ids, prompt included.</summary>
    public IReadOnlyList<int> TokenIds => Segments.SelectMany(s => s.TokenIds).ToArray();

    /// <summary>1 on every policy token of <see cref="TokenIds"/>, 0 on prompt and environment tokens.</summary>
    public IReadOnlyList<int> LossMask => MaskOf(Segments);

    /// <summary>The token ids after the prompt.</summary>
    public IReadOnlyList<int> CompletionTokenIds => Completion.SelectMany(s => s.TokenIds).ToArray();

    /// <summary>The loss mask of <see cref="CompletionTokenIds"/>: 1 on policy tokens, 0 on environment tokens.</summary>
    public IReadOnlyList<int> CompletionLossMask => MaskOf(Completion);

    public int PolicyTokenCount => Segments.Where(s => s.Source == SegmentSource.Policy).Sum(s => s.TokenIds.Count);

    /// <summary>The text after the prompt, environment results included: what the answer is extracted from.</summary>
    public string CompletionText => string.Concat(Completion.Select(s => s.Text));

    /// <summary>The text of the last policy segment, or empty when the policy has not spoken.</summary>
    public string FinalPolicyText => Segments.LastOrDefault(s => s.Source == SegmentSource.Policy)?.Text ?? "";

    /// <summary>How many segments the environment has inserted.</summary>
    public int EnvironmentTurns => Segments.Count(s => s.Source == SegmentSource.Environment);

    /// <summary>This episode with <paramref name="segment"/> appended (a prompt segment cannot follow).</summary>
    public Episode Append(Segment segment)
    {
        if (segment.Source == SegmentSource.Prompt)
            throw new ArgumentException("only the first segment of an episode is a prompt", nameof(segment));
        return new Episode([.. Segments, segment], Truncated, FinishReason);
    }

    /// <summary>This episode closed: the policy stopped for <paramref name="reason"/>; a length stop marks it truncated.</summary>
    public Episode Finish(FinishReason reason) =>
        new(Segments, reason == Engine.Generation.FinishReason.Length, reason);

    private static int[] MaskOf(IEnumerable<Segment> segments) =>
        segments.SelectMany(s => Enumerable.Repeat(s.Source == SegmentSource.Policy ? 1 : 0, s.TokenIds.Count)).ToArray();
}
