namespace HierReason.Training.Rewards;

/// <summary>The task's verifier on the answer read from the context's answer source: a missing answer scores 0, partial credit only where the task defines it.</summary>
public sealed class CorrectnessReward : IRewardFunction
{
    public string Name => "correctness";

    public double Score(RewardContext ctx) => ctx.Task.Score(ctx.Answer, ctx.Item);
}
