using System.Globalization;
using System.Text.RegularExpressions;
using HierReason.Core.Expressions;

namespace HierReason.Training.Rewards;

/// <summary>
/// Correctness that a guess cannot earn: the task's verifier on the answer, counted only when the policy showed its work
/// and the work holds — at least one worked equation, every equation it wrote true (<c>a op b … = c</c>, and column
/// additions' <c>A + B: …, so C</c>), and the answer equal to the result of the last one. A right answer after a wrong
/// step, or a bare answer, scores 0, so the reward cannot be raised by moving towards the most common answer.
/// </summary>
public sealed partial class ConsistentCorrectnessReward : IRewardFunction
{
    public string Name => "consistent_correctness";

    public double Score(RewardContext ctx)
    {
        var correctness = ctx.Task.Score(ctx.Answer, ctx.Item);
        if (correctness <= 0) return 0;
        var work = Core.Answers.AnswerExtractor.StripThinking(ctx.Completion.AsSpan()).ToString();
        var answerAt = work.LastIndexOf("<answer>", StringComparison.Ordinal);
        if (answerAt >= 0) work = work[..answerAt];
        return Check(work) is { } last && ctx.Answer is { } answer && Core.Answers.NumericAnswer.TryParse(answer, out var value) && value == last
            ? correctness
            : 0;
    }

    /// <summary>The result of the last worked equation when every equation of <paramref name="work"/> holds; null when one does not or there is none.</summary>
    public static decimal? Check(string work)
    {
        var results = new List<(int At, decimal Value)>();
        var columnSpans = new List<(int Start, int End)>();
        foreach (Match m in ColumnLine().Matches(work))
        {
            columnSpans.Add((m.Index, m.Index + m.Length));
            var a = long.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture);
            var b = long.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            var sum = long.Parse(m.Groups["sum"].Value, CultureInfo.InvariantCulture);
            if (a + b != sum) return null;
            results.Add((m.Index + m.Length, sum));
        }
        foreach (Match m in Equation().Matches(work))
        {
            if (!ArithmeticExpression.TryEvaluate(m.Groups["lhs"].Value, out var lhs)) return null;
            var rhs = long.Parse(m.Groups["rhs"].Value, CultureInfo.InvariantCulture);
            if (!lhs.EqualsInteger(rhs)) return null;
            // Column facts inside a column line ("7 + 8 = 15") are steps, not results.
            if (!columnSpans.Any(span => m.Index >= span.Start && m.Index < span.End)) results.Add((m.Index + m.Length, rhs));
        }
        return results.Count == 0 ? null : results.OrderBy(r => r.At).Last().Value;
    }

    // "47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85"
    [GeneratedRegex(@"(?<a>\d{1,15}) \+ (?<b>\d{1,15}):[^\n]*?, so (?<sum>\d{1,16})", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnLine();

    // "12 - 5 = 7", "3 * 4 + 1 = 13" (a number may carry a sign; at most 200 characters on the left).
    [GeneratedRegex(@"(?<lhs>-?\d{1,15}(?:\s*[-+*/]\s*-?\d{1,15}){1,20})\s*=\s*(?<rhs>-?\d{1,16})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Equation();
}
