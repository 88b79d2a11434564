using HierReason.Core.Tasks;

namespace HierReason.Training.Experiments;

/// <summary>The training data: a weighted mixture of tasks (each at a config and optional level) and the dataset seed.</summary>
public sealed record DataSection(IReadOnlyList<MixtureEntry> Tasks, long Seed);
