namespace HierReason.Training.Grpo;

/// <summary>The reward of one step of a completion and the completion token index at which the step ends.</summary>
public readonly record struct StepReward(double Reward, int EndToken);
