using HierReason.Core.Tasks;

namespace HierReason.Training.Experiments;

/// <summary>Greedy evaluation during training: every <see cref="Every"/> steps (0 = never), on <see cref="N"/> items per task of <see cref="Split"/>.</summary>
public sealed record EvalSection(int Every, int N, Split Split);
