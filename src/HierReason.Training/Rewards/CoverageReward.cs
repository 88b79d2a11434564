using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Training.Rewards;

/// <summary>
/// planner_worker, where the item's metadata has its gold sub-problems (<see cref="GoldDecomposition"/>): the fraction
/// of gold sub-problems that some sub-question matches, each sub-question matching at most one (in order). A
/// sub-question matches a gold sub-problem when, lower-cased and with all whitespace removed, it contains the gold
/// question or the gold expression, not touching a digit on either side (so "What is 4+3*5?" matches <c>4 + 3 * 5</c>,
/// and neither "13 + 55" nor "5 - 2 + 7" matches <c>3 + 5</c> or <c>-2 + 7</c>). Worker answers play no part: coverage rewards the plan, not the worker's
/// luck. A gold decomposition of one sub-problem means "solve directly": 1 for a plan that does, 0 for one that splits.
/// 0 for tasks without gold sub-problems and for plans that never reached the worker.
/// </summary>
public sealed class CoverageReward : IRewardFunction
{
    public string Name => "coverage";

    public double Score(RewardContext ctx)
    {
        if (!PlannerNotes.Planned(ctx.Episode) || GoldDecomposition.Of(ctx.Item) is not { } gold) return 0;
        var questions = PlannerNotes.SubQuestions(ctx.Episode).Select(Normal).ToList();
        if (!gold.Splits) return questions.Count == 0 ? 1 : 0;
        var matched = 0;
        foreach (var sub in gold.Subproblems)
        {
            var question = Normal(sub.Question);
            var expression = Normal(sub.Expression);
            var at = questions.FindIndex(q => Contains(q, question) || Contains(q, expression));
            if (at < 0) continue;
            questions.RemoveAt(at);
            matched++;
        }
        return (double)matched / gold.Subproblems.Count;
    }

    private static string Normal(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();

    /// <summary>Whether <paramref name="part"/> occurs in <paramref name="text"/> with no digit just before or after it.</summary>
    private static bool Contains(string text, string part)
    {
        if (part.Length == 0) return false;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            // A leading minus after a digit is a subtraction, not the gold part's negative number.
            var before = at > 0 && char.IsAsciiDigit(text[at - 1]) && (char.IsAsciiDigit(part[0]) || part[0] == '-');
            var after = at + part.Length < text.Length && char.IsAsciiDigit(text[at + part.Length]) && char.IsAsciiDigit(part[^1]);
            if (!before && !after) return true;
        }
        return false;
    }
}
