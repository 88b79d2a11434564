namespace HierReason.Training.Rewards;

/// <summary>Scores one completion; the name is the key used in task files' <c>rewards</c> weights and in logs.</summary>
public interface IRewardFunction
{
    string Name { get; }

    double Score(RewardContext ctx);
}
