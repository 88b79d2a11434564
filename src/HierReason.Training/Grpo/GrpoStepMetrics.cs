using System.Text.Json.Serialization;

namespace HierReason.Training.Grpo;

/// <summary>Mean and (population) standard deviation of one reward over a step's completions.</summary>
public sealed record RewardStat(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("std")] double Std)
{
    public static RewardStat Of(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return new RewardStat(double.NaN, double.NaN);
        var mean = finite.Average();
        return new RewardStat(mean, Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / finite.Length));
    }
}

/// <summary>
/// One GRPO step as written to <c>metrics.jsonl</c>. Times split the step into generation (rollouts), scoring (rewards,
/// old and reference log-probs) and training (forward, backward, optimiser); <see cref="Entropy"/> is the Monte Carlo
/// mean entropy of the full next-token distribution over trained tokens (as TRL logs it). A skipped step (non-finite loss or
/// gradient) has <see cref="Skipped"/> set and no update.
/// </summary>
public sealed record GrpoStepMetrics
{
    [JsonPropertyName("step")] public int Step { get; init; }
    [JsonPropertyName("skipped")] public bool Skipped { get; init; }
    [JsonPropertyName("skip_reason")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SkipReason { get; init; }
    [JsonPropertyName("loss")] public double? Loss { get; init; }
    [JsonPropertyName("reward")] public RewardStat Reward { get; init; } = new(0, 0);
    [JsonPropertyName("rewards")] public IReadOnlyDictionary<string, RewardStat> Rewards { get; init; } = new Dictionary<string, RewardStat>();
    [JsonPropertyName("accuracy")] public double Accuracy { get; init; }
    [JsonPropertyName("accuracy_by_task")] public IReadOnlyDictionary<string, double> AccuracyByTask { get; init; } = new Dictionary<string, double>();
    /// <summary>With a curriculum: each task's level this step's prompts were drawn at.</summary>
    [JsonPropertyName("levels")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, int>? Levels { get; init; }
    [JsonPropertyName("frac_reward_zero_std")] public double ZeroVarianceFraction { get; init; }
    [JsonPropertyName("trained_groups")] public int TrainedGroups { get; init; }
    /// <summary>Rollout batches generated this step (more than one when dynamic sampling refilled dropped groups).</summary>
    [JsonPropertyName("generation_batches")] public int GenerationBatches { get; init; } = 1;
    [JsonPropertyName("clip_ratio")] public double ClipRatio { get; init; }
    [JsonPropertyName("clip_ratio_low")] public double ClipLow { get; init; }
    [JsonPropertyName("clip_ratio_high")] public double ClipHigh { get; init; }
    [JsonPropertyName("kl")] public double? Kl { get; init; }
    /// <summary>The mean full categorical KL to the reference over restricted choices' options (<c>grpo.label_kl</c> > 0).</summary>
    [JsonPropertyName("label_kl"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? LabelKl { get; init; }
    [JsonPropertyName("entropy")] public double? Entropy { get; init; }
    /// <summary>With <c>grpo.measure_update</c>: the mean change of the rewarded (advantage &gt; 0) and penalised completions' summed log-probs over this step's update (<see cref="UpdateProbe"/>).</summary>
    [JsonPropertyName("update_logp_rewarded")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? UpdateLogpRewarded { get; init; }
    [JsonPropertyName("update_logp_penalised")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? UpdateLogpPenalised { get; init; }
    [JsonPropertyName("completion_length_mean")] public double CompletionLengthMean { get; init; }
    [JsonPropertyName("completion_length_min")] public int CompletionLengthMin { get; init; }
    [JsonPropertyName("completion_length_max")] public int CompletionLengthMax { get; init; }
    [JsonPropertyName("truncated_fraction")] public double TruncatedFraction { get; init; }
    [JsonPropertyName("environment_turns")] public int EnvironmentTurns { get; init; }
    [JsonPropertyName("active_tokens")] public long ActiveTokens { get; init; }
    [JsonPropertyName("prompt_tokens")] public long PromptTokens { get; init; }
    [JsonPropertyName("scored_tokens")] public long ScoredTokens { get; init; }
    [JsonPropertyName("generated_tokens")] public long GeneratedTokens { get; init; }
    [JsonPropertyName("trained_tokens")] public long TrainedTokens { get; init; }
    /// <summary>Decode row-steps computed (every row in the batch at every sampling step) and the alive share of them (tokens kept).</summary>
    [JsonPropertyName("decode_row_steps")] public long DecodeRowSteps { get; init; }
    [JsonPropertyName("decode_useful_fraction")] public double DecodeUsefulFraction { get; init; } = 1.0;
    /// <summary>Positions the passes with gradients computed (prompts once per pass, completions padded per micro-batch) and the loss-carrying share.</summary>
    [JsonPropertyName("trained_positions")] public long TrainedPositions { get; init; }
    [JsonPropertyName("trained_loss_tokens")] public long TrainedLossTokens { get; init; }
    [JsonPropertyName("training_useful_fraction")] public double? TrainingUsefulFraction { get; init; }
    [JsonPropertyName("micro_batches")] public int MicroBatches { get; init; }
    /// <summary>FLOPs computed, padding and attention included: rollouts, the passes with gradients, and old/reference scoring.</summary>
    [JsonPropertyName("generation_flops")] public double GenerationFlops { get; init; }
    [JsonPropertyName("training_flops")] public double TrainingFlops { get; init; }
    [JsonPropertyName("scoring_flops")] public double ScoringFlops { get; init; }
    [JsonPropertyName("generation_tokens_per_s")] public double GenerationTokensPerSecond { get; init; }
    [JsonPropertyName("training_tokens_per_s")] public double TrainingTokensPerSecond { get; init; }
    [JsonPropertyName("tokens_per_s")] public double TokensPerSecond { get; init; }
    [JsonPropertyName("generation_s")] public double GenerationSeconds { get; init; }
    [JsonPropertyName("scoring_s")] public double ScoringSeconds { get; init; }
    [JsonPropertyName("training_s")] public double TrainingSeconds { get; init; }
    [JsonPropertyName("step_time_s")] public double StepSeconds { get; init; }
    [JsonPropertyName("lr")] public double LearningRate { get; init; }
    [JsonPropertyName("grad_norm")] public double? GradNorm { get; init; }
}
