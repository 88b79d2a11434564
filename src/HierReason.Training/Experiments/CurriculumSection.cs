using HierReason.Core.Tasks;

namespace HierReason.Training.Experiments;

/// <summary>
/// The experiment's optional <c>curriculum</c> section: when the rolling accuracy per task moves its level
/// (<see cref="Options"/>), and each training task's level range and starting level.
/// </summary>
public sealed record CurriculumSection(CurriculumOptions Options, IReadOnlyList<CurriculumTask> Tasks);

/// <summary>One task under the curriculum: its levels (from its task file), the range the curriculum may use, where it starts.</summary>
public sealed record CurriculumTask(IReasoningTask Task, IReadOnlyList<TaskConfig> Levels, int MinLevel, int MaxLevel, int StartLevel);
