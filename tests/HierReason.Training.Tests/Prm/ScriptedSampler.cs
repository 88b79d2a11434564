using HierReason.Training.Prm;

namespace HierReason.Training.Tests.Prm;

/// <summary>
/// A policy with known step values: a fresh solution is <see cref="Solution"/>; a rollout from a state succeeds (writes the
/// item's answer) with probability 0 when the prefix holds <see cref="Wrong"/>, else <see cref="P"/>, drawn from a seeded RNG.
/// </summary>
public sealed class ScriptedSampler(Func<string, string> answerOf, Func<string, string> solution, double p = 0.75) : ICompletionSampler
{
    public const string Wrong = "a planted wrong line";

    public double P => p;

    public Func<string, string> Solution => solution;

    /// <summary>Every call's states, in order.</summary>
    public List<IReadOnlyList<SolutionState>> Calls { get; } = [];

    public IReadOnlyList<IReadOnlyList<string>> Complete(IReadOnlyList<SolutionState> states, int n, StepSampling sampling, long seed)
    {
        Calls.Add(states);
        var rng = new Random(unchecked((int)seed));
        return states.Select(s => (IReadOnlyList<string>)Enumerable.Range(0, n).Select(_ =>
        {
            if (s.Prefix.Length == 0) return solution(s.Question);
            var success = !s.Prefix.Contains(Wrong, StringComparison.Ordinal) && rng.NextDouble() < p;
            return success ? $"<answer>{answerOf(s.Question)}</answer>" : "<answer>-1</answer>";
        }).ToArray()).ToArray();
    }
}
