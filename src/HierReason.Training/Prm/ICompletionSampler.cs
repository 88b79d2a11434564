namespace HierReason.Training.Prm;

/// <summary>
/// Where step labelling gets its text: continuations of partial solutions. The labeller sees no model, so tests can
/// script the policy's success probability per step and check the Monte-Carlo estimates against it.
/// </summary>
public interface ICompletionSampler
{
    /// <summary>
    /// For each state, <paramref name="n"/> continuations of its prefix (the text after it, not including it), in
    /// state order. One call is one batch: an engine-backed sampler generates all rows together.
    /// </summary>
    IReadOnlyList<IReadOnlyList<string>> Complete(IReadOnlyList<SolutionState> states, int n, StepSampling sampling, long seed);
}

/// <summary>A partial solution to continue: the item's question and the solution text so far ("" = a fresh solution).</summary>
public sealed record SolutionState(string Question, string Prefix);

/// <summary>How continuations are sampled: temperature, top-p and the most new tokens per continuation.</summary>
public sealed record StepSampling(double Temperature, double TopP, int MaxNewTokens);
