using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.PlannerWorker;

/// <summary>
/// The environment of a planner_worker strategy built for SFT (<see cref="StrategyContext.ForGold"/>): gold episodes carry
/// the worker's text already, so there is no worker, and a rollout is a bug the message names.
/// </summary>
internal sealed class GoldOnlyEnvironment : IEnvironment
{
    public string Name => PlannerWorkerStrategy.Name;

    public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("planner_worker was built for its gold episodes only (SFT, no worker model): rolling out needs a worker (grpo.environment_models)");
}
