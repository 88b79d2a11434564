using System.Globalization;

namespace HierReason.Core.Episodes;

/// <summary>
/// What a planner/worker episode records for rewards and logs, in one vocabulary for the environment that writes it
/// (HierReason.Reasoning) and the rewards that read it (HierReason.Training): statistic names, and the sub-questions with
/// the worker's sub-answers in the worker segment's <see cref="Segment.Metadata"/>.
/// </summary>
public static class PlannerNotes
{
    /// <summary>Completion tokens of every worker call of the episode (sub-problems and combine, or the direct solve).</summary>
    public const string WorkerTokens = "worker_tokens";

    /// <summary>Sub-problems the worker solved (0 when not decomposed).</summary>
    public const string Subproblems = "subproblems";

    /// <summary>1 when the plan decomposed (should_decompose with at least one sub-problem), else 0.</summary>
    public const string Decomposed = "decomposed";

    /// <summary>1 when no plan could be read from the planner's text (the episode then ends with no answer).</summary>
    public const string ParseFailed = "parse_failed";

    /// <summary>1 when the combine was computed from the item's metadata (combine "exact").</summary>
    public const string ExactCombine = "exact_combine";

    /// <summary>1 when combine "exact" was asked for but the worker combined (no rule in the metadata, or a sub-answer not an integer).</summary>
    public const string CombineFallback = "combine_fallback";

    /// <summary>
    /// Sub-questions of a decomposed plan that are word for word one of the item's gold sub-questions; with
    /// <see cref="GoldSubproblemsSolved"/> (those the worker answered with the gold sub-answer) it measures the worker on
    /// single sub-problems: under a gold plan, every sub-question counts (the precondition of decomposition helping).
    /// </summary>
    public const string GoldSubproblems = "gold_subproblems";

    /// <summary>Of <see cref="GoldSubproblems"/>, those the worker answered with the gold sub-answer.</summary>
    public const string GoldSubproblemsSolved = "gold_subproblems_solved";

    /// <summary>Depth 2: sub-problems whose own plan split them again (the worker solved their parts, then combined them).</summary>
    public const string SubplansDecomposed = "subplans_decomposed";

    /// <summary>Depth 2: sub-plans that could not be read (their sub-problem was solved whole).</summary>
    public const string SubplanParseFailed = "subplan_parse_failed";

    private const string QuestionKey = "subproblem_";
    private const string AnswerKey = "subanswer_";

    /// <summary>Segment metadata holding sub-question i and the worker's answer to it (empty when it gave none), from 1.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(IReadOnlyList<string> questions, IReadOnlyList<string?> answers)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            metadata[Key(QuestionKey, i)] = questions[i];
            metadata[Key(AnswerKey, i)] = answers[i] ?? "";
        }
        return metadata;
    }

    /// <summary>Whether the episode's plan reached the worker: a parse failure, or a plan the runner ended before the environment saw it (truncated), did not.</summary>
    public static bool Planned(Episode episode) => episode.Stats.TryGetValue(ParseFailed, out var failed) && failed == 0;

    /// <summary>The sub-questions the worker solved, in the planner's order (empty when not decomposed).</summary>
    public static IReadOnlyList<string> SubQuestions(Episode episode) => Read(episode, QuestionKey);

    /// <summary>The worker's answers to <see cref="SubQuestions"/> (empty strings where it gave none).</summary>
    public static IReadOnlyList<string> SubAnswers(Episode episode) => Read(episode, AnswerKey);

    private static List<string> Read(Episode episode, string prefix)
    {
        var metadata = episode.EnvironmentSegments.LastOrDefault(s => s.Metadata is not null)?.Metadata;
        var values = new List<string>();
        while (metadata is not null && metadata.TryGetValue(Key(prefix, values.Count), out var value)) values.Add(value);
        return values;
    }

    private static string Key(string prefix, int index) => prefix + (index + 1).ToString(CultureInfo.InvariantCulture);
}
