namespace HierReason.Core.Episodes;

/// <summary>
/// What a taxonomy episode records, in one vocabulary for the environment that writes it (HierReason.Reasoning), the
/// rewards that read it (HierReason.Training) and the reports: statistic names, and each thought segment's
/// <see cref="Segment.Metadata"/> (the thought type's id and label).
/// </summary>
public static class TaxonomyNotes
{
    /// <summary>Thoughts the reasoner wrote (the final answer not counted).</summary>
    public const string Thoughts = "thoughts";

    /// <summary>Characters of every thought (seed 000's length term reads it).</summary>
    public const string ThoughtChars = "thought_chars";

    /// <summary>1 when the episode reached max_steps and Finish was forced, else 0.</summary>
    public const string ForcedFinish = "forced_finish";

    /// <summary>Choices that named no option (the first option was used, as seed 000 does).</summary>
    public const string ChoiceParseFailed = "choice_parse_failed";

    /// <summary>Completion tokens of every reasoner call (thoughts and the final answer).</summary>
    public const string ReasonerTokens = "reasoner_tokens";

    /// <summary>Segment metadata key: the id of the thought type the segment was written as ("finish" for the final answer).</summary>
    public const string TypeKey = "thought_type";

    /// <summary>Segment metadata key: the thought type's label.</summary>
    public const string LabelKey = "thought_label";

    /// <summary>The id recorded for the final answer's segment.</summary>
    public const string FinishId = "finish";

    /// <summary>The thought-type ids of an episode's segments, in order (the final answer's included as <see cref="FinishId"/>).</summary>
    public static IReadOnlyList<string> Types(IEnumerable<IReadOnlyDictionary<string, string>?> segmentMetadata) =>
        segmentMetadata.Select(m => m?.GetValueOrDefault(TypeKey)).OfType<string>().ToArray();
}
