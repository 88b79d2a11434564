using HierReason.Core.Episodes;

namespace HierReason.Training.Rewards;

/// <summary>
/// planner_worker: <c>1 − min(worker_tokens / 1000, 1)</c> (seed 002's), so a plan that costs the worker fewer tokens
/// earns more. 0 when the plan never reached the worker (a parse failure must not look efficient).
/// </summary>
public sealed class WorkerEfficiencyReward : IRewardFunction
{
    /// <summary>Worker tokens at which the reward reaches 0.</summary>
    public const double TokenScale = 1000;

    public string Name => "worker_efficiency";

    public double Score(RewardContext ctx) => PlannerNotes.Planned(ctx.Episode)
        ? 1 - Math.Min(ctx.Stats.GetValueOrDefault(PlannerNotes.WorkerTokens) / TokenScale, 1)
        : 0;
}
