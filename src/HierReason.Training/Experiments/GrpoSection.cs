using HierReason.Training.Grpo;
using HierReason.Training.Rewards;

namespace HierReason.Training.Experiments;

/// <summary>
/// The experiment's <c>grpo</c> section: the loss and rollout knobs (<see cref="Options"/>, TRL's names and defaults),
/// the optimiser schedule in generation steps, the reward weights per task (the task file's <c>rewards</c> overlaid with
/// the experiment's <c>grpo.rewards</c>), the environment of multi-turn episodes and the bad-step limit.
/// </summary>
public sealed record GrpoSection(
    GrpoOptions Options,
    int Steps,
    int PromptsPerStep,
    int GradAccum,
    double LearningRate,
    int WarmupSteps,
    double WeightDecay,
    double MaxGradNorm,
    double MinLearningRateRatio,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Rewards,
    RewardSettings RewardSettings,
    string Environment,
    int MaxCalls,
    int MaxBadSteps)
{
    public const string NoEnvironment = "none";
    public const string Calculator = "calculator";
    public static readonly IReadOnlyList<string> Environments = [NoEnvironment, Calculator];
}
