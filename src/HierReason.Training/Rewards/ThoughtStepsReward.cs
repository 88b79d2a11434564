using HierReason.Core.Episodes;

namespace HierReason.Training.Rewards;

/// <summary>
/// taxonomy: <c>1 − thoughts / 16</c> (16 = the most choices an episode makes, <see cref="TaxonomyOptions.MaxStepsLimit"/>):
/// a cost per thought, so with a small weight beside correctness a right answer in fewer thoughts earns more. Unlike seed
/// 000's <see cref="ThoughtLengthReward"/> (1 / (1 + characters)), whose differences between right answers are a few
/// thousandths, each thought here costs the same, 1/16 of the weight.
/// </summary>
public sealed class ThoughtStepsReward : IRewardFunction
{
    public string Name => "thought_steps";

    public double Score(RewardContext ctx) => 1 - Math.Min(ctx.Stats.GetValueOrDefault(TaxonomyNotes.Thoughts) / TaxonomyOptions.MaxStepsLimit, 1);
}
