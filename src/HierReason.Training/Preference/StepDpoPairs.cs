using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Training.Preference;

/// <summary>
/// Step-DPO pairs (dvlab-research/Step-DPO): from a trajectory whose step verdicts show a first Incorrect line, the prompt
/// is the problem, <c>initial_reason_steps</c> the correct lines before it, rejected that first wrong line, and chosen a
/// verified alternative line at the same position; <c>full_chosen</c> and <c>full_rejected</c> are the whole continuations
/// from that position.
/// </summary>
public static class StepDpoPairs
{
    /// <summary>
    /// The pair of one trajectory, or null when its judgement has no Incorrect line or no alternative passes
    /// <paramref name="verify"/>.
    /// </summary>
    /// <param name="prompt">The problem (the user's question).</param>
    /// <param name="lines">The trajectory's lines (<see cref="StepLines.Split"/>).</param>
    /// <param name="judgement">One verdict per line (an oracle step checker's, or labels from Monte-Carlo values).</param>
    /// <param name="alternatives">
    /// Candidate continuations after the correct prefix, best first (resampled by a policy, or the gold trace's): the first
    /// line of each is the candidate step, the whole text its full continuation.
    /// </param>
    /// <param name="verify">Whether a candidate step is correct after the prefix (an oracle step checker, or rollouts).</param>
    public static PreferencePair? Build(string prompt, IReadOnlyList<string> lines, StepJudgement judgement,
        Func<IReadOnlyList<string>, IEnumerable<string>> alternatives, Func<IReadOnlyList<string>, string, bool> verify)
    {
        if (judgement.Verdicts.Count != lines.Count)
            throw new ArgumentException($"{judgement.Verdicts.Count} verdicts for {lines.Count} lines", nameof(judgement));
        if (judgement.FirstError is not { } wrong) return null;
        var prefix = lines.Take(wrong).ToArray();
        var rejected = lines[wrong];
        foreach (var alternative in alternatives(prefix))
        {
            var step = StepLines.Split(alternative)[0];
            if (SameStep(step, rejected) || !verify(prefix, step)) continue;
            return new PreferencePair(prompt, step, rejected)
            {
                // Each prefix line keeps its separator, so the compared step starts a new line.
                InitialReasonSteps = string.Concat(prefix.Select(l => l + "\n")),
                FullChosen = alternative,
                FullRejected = string.Join("\n", lines.Skip(wrong)),
            };
        }
        return null;
    }

    /// <summary>
    /// The pair of a completion of <paramref name="item"/>, judged and verified by the task's oracle step
    /// <paramref name="checker"/> (a candidate passes when the checker calls it Correct right after the prefix).
    /// </summary>
    public static PreferencePair? ForItem(TaskItem item, IReadOnlyList<string> lines, IStepChecker checker,
        Func<IReadOnlyList<string>, IEnumerable<string>> alternatives) =>
        Build(item.Question, lines, checker.Judge(item, lines), alternatives, (prefix, step) => IsCorrectNext(item, checker, prefix, step));

    /// <summary>Whether <paramref name="checker"/> judges <paramref name="step"/> Correct as the line after <paramref name="prefix"/>.</summary>
    public static bool IsCorrectNext(TaskItem item, IStepChecker checker, IReadOnlyList<string> prefix, string step) =>
        checker.Judge(item, prefix.Append(step).ToArray()).Verdicts[^1] == StepVerdict.Correct;

    /// <summary>
    /// Alternatives without a sampler: the rest of the item's gold trace from the prefix's position, when the prefix is the
    /// gold trace's start line for line (whitespace and answer tags aside); none otherwise.
    /// </summary>
    public static Func<IReadOnlyList<string>, IEnumerable<string>> GoldAlternatives(TaskItem item)
    {
        var gold = StepLines.Split(item.Solution);
        return prefix =>
        {
            if (prefix.Count >= gold.Length) return [];
            for (var i = 0; i < prefix.Count; i++)
                if (!SameStep(prefix[i], gold[i])) return [];
            return [string.Join("\n", gold.Skip(prefix.Count))];
        };
    }

    private static bool SameStep(string a, string b) => StepLines.Content(a).SequenceEqual(StepLines.Content(b));
}
