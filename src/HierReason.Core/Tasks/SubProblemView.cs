using System.Globalization;
using HierReason.Core.Answers;

namespace HierReason.Core.Tasks;

/// <summary>
/// The sub-problem view of <c>multi_step_arithmetic</c>: each gold sub-problem of an item as an item of its own, to train
/// and measure the planner/worker strategy's worker on exactly what a gold plan asks it. A sub-item keeps its parent's
/// task, source and level, answers its own question (scored by the task's verifier against the sub-answer) and has the
/// gold trace <c>4 * 5 = 20, 3 + 20 = 23</c> (one operation at a time, as the whole item's trace writes that story).
/// </summary>
public static class SubProblemView
{
    /// <summary>Whether <paramref name="task"/>'s items have a sub-problem view (today: multi_step_arithmetic's).</summary>
    public static bool Supports(IReasoningTask task) => task is MultiStepArithmeticTask;

    /// <summary>The sub-item of <paramref name="item"/> that position <paramref name="index"/> of a data set takes: its sub-problems in turn.</summary>
    public static TaskItem At(TaskItem item, long index)
    {
        var subs = Items(item);
        return subs[(int)(index % subs.Count)];
    }

    /// <summary>The sub-items of a <c>multi_step_arithmetic</c> item, ids <c>&lt;item id&gt;/sub&lt;i&gt;</c> from 1.</summary>
    public static IReadOnlyList<TaskItem> Items(TaskItem item)
    {
        if (item.Metadata is not MultiStepArithmeticMetadata meta)
            throw new ArgumentException($"the sub-problem view is defined for multi_step_arithmetic items (found a {item.Task} item)", nameof(item));
        return meta.Subproblems.Select((sub, i) =>
        {
            var answer = NumericAnswer.Format(sub.Answer);
            var metadata = meta with
            {
                Solution = Steps(sub.Expression) + "\n<answer>" + answer + "</answer>",
                Subproblems = [sub],
                Combine = CombineOperation.Sum,
                Result = sub.Answer,
            };
            return item with { Id = string.Create(CultureInfo.InvariantCulture, $"{item.Id}/sub{i + 1}"), Question = sub.Question, Answer = answer, Metadata = metadata };
        }).ToArray();
    }

    /// <summary>
    /// An expression of integers and <c>+ - * /</c> separated by spaces, worked one operation at a time in ordinary
    /// precedence: <c>3 + 4 * 5</c> gives <c>4 * 5 = 20, 3 + 20 = 23</c>.
    /// </summary>
    public static string Steps(string expression)
    {
        var tokens = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var steps = new List<string>();
        while (tokens.Count >= 3)
        {
            var op = tokens.FindIndex(1, t => t is "*" or "/");
            if (op < 0) op = 1;
            var x = long.Parse(tokens[op - 1], CultureInfo.InvariantCulture);
            var y = long.Parse(tokens[op + 1], CultureInfo.InvariantCulture);
            var value = tokens[op] switch { "+" => x + y, "-" => x - y, "*" => x * y, "/" => x / y, var t => throw new FormatException($"unknown operator '{t}' in '{expression}'") };
            var result = NumericAnswer.Format(value);
            steps.Add($"{tokens[op - 1]} {tokens[op]} {tokens[op + 1]} = {result}");
            tokens.RemoveRange(op - 1, 3);
            tokens.Insert(op - 1, result);
        }
        return steps.Count == 0 ? expression + " = " + expression : string.Join(", ", steps);
    }
}
