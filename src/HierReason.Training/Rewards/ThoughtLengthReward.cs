using HierReason.Core.Episodes;

namespace HierReason.Training.Rewards;

/// <summary>
/// taxonomy: seed 000's length term, <c>1 / (1 + characters of every thought)</c>, so with a small weight beside
/// correctness (seed 000's <c>length_reward_weight</c>, default 0) a right answer reached in fewer words earns more. An
/// episode with no thoughts earns 1: keep the weight well below correctness's, or answering at once pays.
/// </summary>
public sealed class ThoughtLengthReward : IRewardFunction
{
    public string Name => "thought_length";

    public double Score(RewardContext ctx) => 1.0 / (1.0 + ctx.Stats.GetValueOrDefault(TaxonomyNotes.ThoughtChars));
}
