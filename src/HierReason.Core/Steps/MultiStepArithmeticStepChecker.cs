using HierReason.Core.Tasks;

namespace HierReason.Core.Steps;

/// <summary>
/// Judges multi_step_arithmetic steps, in the gold trace's two kinds of line.
/// A sub-problem step names its person, <c>Ana: 57 + 29 = 86, 86 - 10 = 76</c>: it is Correct when
/// every equation on it holds and its last value (the sub-answer) is that sub-problem's answer.
/// The combining step is an equation with no person's name, <c>196 + 84 = 280</c> (a label such as
/// <c>Total:</c> is allowed): it is Correct when it holds, its operands are the sub-answers (in any
/// order) and its value is the item's result. Lines with no equation, and answer lines, are Neutral.
/// </summary>
public sealed class MultiStepArithmeticStepChecker : StepChecker<MultiStepArithmeticMetadata>
{
    private const string Asker = " does ";

    public override string Task => "multi_step_arithmetic";

    protected override void Judge(TaskItem item, MultiStepArithmeticMetadata metadata, IReadOnlyList<string?> lines, Span<StepVerdict> verdicts, Span<int?> distances)
    {
        var (people, answers) = ReadSubproblems(item, metadata);
        var sortedAnswers = answers.Order().ToArray();
        var answer = new AnswerLines();
        for (var i = 0; i < lines.Count; i++)
        {
            if (answer.Covers(lines[i])) continue;
            var content = StepLines.Content(lines[i]);
            var colon = content.IndexOf(':');
            var person = colon < 0 ? -1 : Person(people, content[..colon].Trim());
            var verdict = person >= 0
                ? JudgeSubproblem(content[(colon + 1)..], answers[person])
                : JudgeCombination(colon < 0 ? content : content[(colon + 1)..], sortedAnswers, metadata.Result);
            if (verdict is StepVerdict v) verdicts[i] = v;
        }
    }

    /// <summary>Equations separated by commas (a lone number may end them); null when the line has none.</summary>
    private static StepVerdict? JudgeSubproblem(ReadOnlySpan<char> text, long answer)
    {
        long? last = null;
        var found = false;
        var holds = true;
        while (true)
        {
            var comma = text.IndexOf(',');
            var segment = comma < 0 ? text : text[..comma];
            if (StepEquation.Read(segment) is { } eq)
            {
                found = true;
                holds &= eq.Holds;
                last = eq.Result;
            }
            else
            {
                var reader = new StepReader(segment);
                if (reader.Integer(out var value) && reader.AtEnd)
                {
                    found = true;
                    last = value;
                }
            }
            if (comma < 0) break;
            text = text[(comma + 1)..];
        }
        if (!found) return null;
        return holds && last == answer ? StepVerdict.Correct : StepVerdict.Incorrect;
    }

    private static StepVerdict? JudgeCombination(ReadOnlySpan<char> text, long[] sortedAnswers, long result)
    {
        if (StepEquation.Read(text) is not { } eq) return null;
        if (!eq.Holds || eq.Result != result || eq.Operands.Count != sortedAnswers.Length) return StepVerdict.Incorrect;
        var operands = new long[eq.Operands.Count];
        for (var k = 0; k < operands.Length; k++)
        {
            if (eq.Operands[k] is not long x) return StepVerdict.Incorrect;
            operands[k] = x;
        }
        Array.Sort(operands);
        return operands.AsSpan().SequenceEqual(sortedAnswers) ? StepVerdict.Correct : StepVerdict.Incorrect;
    }

    private static int Person(string[] people, ReadOnlySpan<char> label)
    {
        for (var k = 0; k < people.Length; k++)
            if (label.Equals(people[k], StringComparison.OrdinalIgnoreCase)) return k;
        return -1;
    }

    /// <summary>Each sub-problem's person (the name its own question asks about: "… does Ana have now?") and answer.</summary>
    private (string[] People, long[] Answers) ReadSubproblems(TaskItem item, MultiStepArithmeticMetadata metadata)
    {
        var parts = metadata.Subproblems;
        if (parts is null || parts.Count == 0) throw Malformed(item, "subproblems", "at least one sub-problem");
        var people = new string[parts.Count];
        var answers = new long[parts.Count];
        for (var k = 0; k < parts.Count; k++)
        {
            var question = parts[k]?.Question ?? "";
            var at = question.LastIndexOf(Asker, StringComparison.Ordinal);
            var name = at < 0 ? "" : question[(at + Asker.Length)..].Split(' ')[0];
            if (name.Length == 0)
                throw Malformed(item, $"subproblems[{k}].question", "a question ending \"… does <person> …?\"");
            people[k] = name;
            answers[k] = parts[k]!.Answer;
        }
        return (people, answers);
    }
}
