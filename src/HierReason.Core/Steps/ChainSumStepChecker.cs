using HierReason.Core.Tasks;

namespace HierReason.Core.Steps;

/// <summary>
/// Judges chain_sum steps. A step is a line <c>a + b = c</c> or <c>a - b = c</c> (the gold trace's
/// shape); the j-th such line is the j-th addition and is Correct when <c>a</c> is the running total
/// of the first j terms, <c>± b</c> is term j+1 and <c>c</c> the running total after it. Every step
/// is judged against the truth, so a line that carries an earlier mistake forward is Incorrect too;
/// a step past the last term is Incorrect. A column line (<c>A + B: 7 + 8 = 15, …, so C</c>, the trace of
/// <c>column_steps</c>) is the step A + B = C, Correct only when its column facts hold too. Equations of any other shape are Neutral.
/// </summary>
public sealed class ChainSumStepChecker : StepChecker<ChainSumMetadata>
{
    public override string Task => "chain_sum";

    protected override void Judge(TaskItem item, ChainSumMetadata metadata, IReadOnlyList<string?> lines, Span<StepVerdict> verdicts, Span<int?> distances)
    {
        var totals = RunningTotals(item, metadata);
        var answer = new AnswerLines();
        var step = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (answer.Covers(lines[i])) continue;
            var content = StepLines.Content(lines[i]);
            if (ColumnAddition.TryRead(content.ToString(), out var a, out var b, out var c, out var factsHold))
            {
                step++;
                verdicts[i] = step < totals.Length && factsHold && a == totals[step - 1] && (Int128)b == (Int128)totals[step] - totals[step - 1] && c == totals[step]
                    ? StepVerdict.Correct
                    : StepVerdict.Incorrect;
                continue;
            }
            if (StepEquation.Read(content) is not { Operands.Count: 2 } eq
                || eq.Operators[0] is not ('+' or '-'))
                continue;
            step++;
            verdicts[i] = step < totals.Length && IsStep(eq, totals[step - 1], totals[step])
                ? StepVerdict.Correct
                : StepVerdict.Incorrect;
        }
    }

    private static bool IsStep(StepEquation eq, long before, long after)
    {
        if (eq.Operands[0] != before || eq.Operands[1] is not long b || eq.Result != after) return false;
        // Term and written operand compared as signed values: "+ -3" and "- 3" are the same step.
        var term = (Int128)after - before;
        return (eq.Operators[0] == '+' ? b : -(Int128)b) == term;
    }

    /// <summary>totals[k]: the sum of the first k + 1 signed terms of the item's expression.</summary>
    private long[] RunningTotals(TaskItem item, ChainSumMetadata metadata)
    {
        var reader = new StepReader(metadata.Expression);
        var totals = new List<long>();
        if (!reader.Integer(out var first) || first is not long total)
            throw Malformed(item, "expression", "integers joined by + and -");
        totals.Add(total);
        while (!reader.AtEnd)
        {
            if (!reader.Operator(out var op) || op is not ('+' or '-') || !reader.Integer(out var term) || term is not long t)
                throw Malformed(item, "expression", "integers joined by + and -");
            var next = op == '+' ? (Int128)total + t : (Int128)total - t;
            if (next < long.MinValue || next > long.MaxValue)
                throw Malformed(item, "expression", "a chain whose running totals fit a 64-bit integer");
            total = (long)next;
            totals.Add(total);
        }
        return totals.ToArray();
    }
}
