using HierReason.Core.Episodes;

namespace HierReason.Training.Rewards;

/// <summary>
/// planner_worker: −1 when the plan never reached the worker (no readable JSON plan, or a plan cut off by the token
/// budget), else 0. Weighted 0.1 it is seed 002's parse-failure term.
/// </summary>
public sealed class PlanParseReward : IRewardFunction
{
    public string Name => "plan_parse";

    public double Score(RewardContext ctx) => PlannerNotes.Planned(ctx.Episode) ? 0 : -1;
}
