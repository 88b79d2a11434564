using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.PlannerWorker;

/// <summary>
/// The planner of option <c>plan: "gold"</c> (configuration O, the upper bound of planner + worker): each turn is the item's
/// gold plan (<see cref="PlannerWorkerStrategy.GoldPlan"/>), written without a model, so the sample log shows it as the
/// planner segment and the worker alone decides the score. It writes no tokens (no model ran).
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
            for (var s = 0; s < samples; s++) written[i * samples + s] = new PolicyTurn(PlannerWorkerStrategy.GoldPlan(item), null, TurnEnd.EndOfSequence, 0);
        }
        return Task.FromResult<IReadOnlyList<PolicyTurn>>(written);
    }
}
