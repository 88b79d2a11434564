namespace HierReason.Reasoning.Strategies.PlannerWorker;

/// <summary>A planner's decision, as read from its JSON <c>{"should_decompose", "subproblems", "plan"}</c>.</summary>
/// <param name="Subproblems">The sub-questions, trimmed, blank ones left out.</param>
/// <param name="Text">The free-text <c>plan</c> field (empty when absent).</param>
public sealed record Plan(bool ShouldDecompose, IReadOnlyList<string> Subproblems, string Text)
{
    /// <summary>Whether the worker solves sub-problems: should_decompose with at least one sub-question.</summary>
    public bool Decomposes => ShouldDecompose && Subproblems.Count > 0;
}
