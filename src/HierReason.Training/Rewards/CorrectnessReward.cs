using HierReason.Core.Answers;

namespace HierReason.Training.Rewards;

/// <summary>The task's verifier on the extracted <c>&lt;answer&gt;</c>: a missing answer scores 0, partial credit only where the task defines it.</summary>
public sealed class CorrectnessReward : IRewardFunction
{
    public string Name => "correctness";

    public double Score(RewardContext ctx) => ctx.Task.Score(AnswerExtractor.Extract(ctx.Completion), ctx.Item);
}
