using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.PlannerWorker;

/// <summary>
/// The planner of option <c>plan: "gold"</c> (configuration O, the upper bound of planner + worker): each turn is the item's
/// gold plan (<see cref="PlannerWorkerStrategy.GoldPlan"/>), written without a model, so the sample log shows it as the
/// planner segment and the worker alone decides the score. It writes no tokens (no model ran). At depth 2 its plan of
/// each gold sub-question (a later turn) is to solve it directly: gold sub-problems are the task's atoms.
/// </summary>
public sealed class GoldPlanPolicy : IEpisodePolicy
{
    public bool UsesTokens => false;

    public Segment Prompt(string message) => new(Actor.Prompt, message);

    public IReadOnlyList<int>? Encode(string text) => null;

    public Task<IReadOnlyList<PolicyTurn>> WriteAsync(
        IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets, long? seed, CancellationToken cancellationToken)
    {
        var written = new PolicyTurn[episodes.Count * samples];
        for (var i = 0; i < episodes.Count; i++)
        {
            var item = episodes[i].Item ?? throw new InvalidOperationException("a gold plan needs the episode's task item");
            var plan = episodes[i].Segments.Any(episodes[i].IsPolicy) ? PlannerWorkerStrategy.DirectPlan : PlannerWorkerStrategy.GoldPlan(item);
            for (var s = 0; s < samples; s++) written[i * samples + s] = new PolicyTurn(plan, null, TurnEnd.EndOfSequence, 0);
        }
        return Task.FromResult<IReadOnlyList<PolicyTurn>>(written);
    }
}
