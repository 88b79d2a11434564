namespace HierReason.Training.Grpo;

/// <summary>TRL's <c>scale_rewards</c>: divide centred rewards by the group's std, the batch's std, or not at all (Dr. GRPO).</summary>
public enum RewardScaling
{
    Group,
    Batch,
    None,
}
