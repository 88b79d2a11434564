namespace HierReason.Training.Grpo;

/// <summary>
/// One rollout batch's policy gradient (<see cref="GrpoTrainer.SampleGradient"/>): the flattened gradient over the trainable
/// parameters (zeros when no group was informative), how many completions it was trained on, the batch's rollout accuracy
/// and zero-variance group share, the policy tokens generated, and the seconds the batch took (rollouts and backward).
/// </summary>
public sealed record PolicyGradientSample(float[] Gradient, int Completions, double Accuracy, double ZeroVarianceFraction, long GeneratedTokens, double Seconds);
