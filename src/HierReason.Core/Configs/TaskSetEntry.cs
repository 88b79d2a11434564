using HierReason.Core.Tasks;

namespace HierReason.Core.Configs;

/// <summary>One benchmark entry of <c>tasks.json</c>: a task at a config, evaluated on <see cref="N"/> items of each seed.</summary>
public sealed record TaskSetEntry(IReasoningTask Task, TaskConfig Config, Split Split, int N, IReadOnlyList<long> Seeds, int? Level);
