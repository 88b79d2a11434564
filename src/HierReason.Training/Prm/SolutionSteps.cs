using HierReason.Core.Answers;
using HierReason.Core.Steps;

namespace HierReason.Training.Prm;

/// <summary>
/// A sampled solution cut into steps: its lines (<see cref="StepLines.Split"/>, TRL's <c>\n</c> separator), of which the
/// non-blank ones are steps, except a last line holding the answer tag: seed 001 drops the final <c>Finish[…]</c>,
/// because judging the answer is the verifier's job, not a state's.
/// </summary>
public sealed record SolutionSteps(string[] Lines, int[] StepLines)
{
    public int Count => StepLines.Length;

    /// <summary>Every step's text in order: what a PRM scores (the task prompt, then these), as <c>prm label</c> wrote its data.</summary>
    public string[] Texts => Array.ConvertAll(StepLines, i => Lines[i]);

    /// <summary>The text of step <paramref name="step"/> (its line as written).</summary>
    public string Step(int step) => Lines[StepLines[step]];

    /// <summary>The state after step <paramref name="step"/>: every line up to and including its line, and the separator after it.</summary>
    public string Prefix(int step) => string.Join('\n', Lines, 0, StepLines[step] + 1) + "\n";

    public static SolutionSteps Of(string? solution)
    {
        var lines = HierReason.Core.Steps.StepLines.Split(solution);
        var steps = new List<int>();
        for (var i = 0; i < lines.Length; i++)
            if (!string.IsNullOrWhiteSpace(lines[i])) steps.Add(i);
        if (steps.Count > 0 && lines[steps[^1]].Contains(AnswerExtractor.Open, StringComparison.Ordinal)) steps.RemoveAt(steps.Count - 1);
        return new SolutionSteps(lines, steps.ToArray());
    }
}
