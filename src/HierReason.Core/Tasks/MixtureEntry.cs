namespace HierReason.Core.Tasks;

/// <summary>
/// One component of a <see cref="TaskMixture"/>: a task at a config, drawn in proportion to <see cref="Weight"/>, its items
/// whole or as their gold sub-problems (<see cref="View"/>).
/// </summary>
public sealed record MixtureEntry(IReasoningTask Task, TaskConfig Config, double Weight, int? Level = null, ItemView View = ItemView.Whole);
