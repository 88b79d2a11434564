using HierReason.Core.Tasks;

namespace HierReason.Training.Experiments;

/// <summary>
/// Greedy evaluation during training: every <see cref="Every"/> steps (0 = never), on <see cref="N"/> items per task of
/// <see cref="Split"/>; and, before GRPO's first step, the readiness check on <see cref="ReadinessN"/> items per task with
/// <see cref="ReadinessK"/> samples each (<see cref="ReadinessN"/> 0 = skip it).
/// </summary>
public sealed record EvalSection(int Every, int N, Split Split, int ReadinessN = 100, int ReadinessK = 8);
