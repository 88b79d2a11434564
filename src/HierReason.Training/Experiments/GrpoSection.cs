using System.Text.Json.Nodes;
using HierReason.Training.Grpo;
using HierReason.Training.Rewards;

namespace HierReason.Training.Experiments;

/// <summary>
/// The experiment's <c>grpo</c> section: the loss and rollout knobs (<see cref="Options"/>, TRL's names and defaults),
/// the optimiser schedule in generation steps, the reward weights per task (the task file's <c>rewards</c> overlaid with
/// the experiment's <c>grpo.rewards</c>), the strategy of the episodes (<see cref="Environment"/>, a name of
/// <see cref="HierReason.Core.Episodes.StrategyCatalog"/>, with its checked options and the frozen models of its other roles,
/// <see cref="EnvironmentModels"/>), the bad-step limit and how many rollout batches dynamic sampling may generate to refill a step.
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
    JsonObject EnvironmentOptions,
    int MaxBadSteps,
    int MaxGenerationBatches = 3,
    IReadOnlyDictionary<string, EnvironmentModel>? EnvironmentModels = null)
{
    /// <summary>The frozen model of each of the strategy's non-policy roles, by role (empty for single-model strategies).</summary>
    public IReadOnlyDictionary<string, EnvironmentModel> FrozenModels => EnvironmentModels ?? new Dictionary<string, EnvironmentModel>();

    /// <summary><c>grpo.optimizer</c>: "adamw" (TRL's, the default) or "sgd" (with <see cref="Momentum"/>).</summary>
    public HierReason.Training.Optim.OptimizerKind Optimizer { get; init; } = HierReason.Training.Optim.OptimizerKind.AdamW;

    /// <summary><c>grpo.measure_update</c>: score the step's completions before and after each update (two extra scoring passes) and log the change (<see cref="HierReason.Training.Grpo.UpdateProbe"/>).</summary>
    public bool MeasureUpdate { get; init; }

    /// <summary>
    /// <c>grpo.process_reward</c>, where <c>"advantage": "process"</c> gets its step rewards: <see cref="OracleStepRewards.Name"/>
    /// (the task's oracle step checker, the default) or the full path of a PRM folder (<see cref="PrmStepRewards"/>).
    /// </summary>
    public string ProcessReward { get; init; } = OracleStepRewards.Name;

    /// <summary><c>grpo.momentum</c>: SGD's momentum (0.9 by default; only with "optimizer": "sgd").</summary>
    public double Momentum { get; init; } = 0.9;
}
