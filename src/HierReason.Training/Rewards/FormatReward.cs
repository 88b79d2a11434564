using HierReason.Core.Answers;

namespace HierReason.Training.Rewards;

/// <summary>1 when the answer source's text has exactly one well-formed <c>&lt;answer&gt;…&lt;/answer&gt;</c> outside thinking, else 0.</summary>
public sealed class FormatReward : IRewardFunction
{
    public string Name => "format";

    public double Score(RewardContext ctx) => ctx.Episode.IsWellFormed(ctx.Answers) ? 1.0 : 0.0;
}
