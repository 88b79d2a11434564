using HierReason.Core.Tasks;

namespace HierReason.Core.Steps;

/// <summary>
/// The base of a task's step checker: checks that the item belongs to the task, then hands the
/// typed metadata and the lines to <see cref="Judge(TaskItem, TMeta, IReadOnlyList{string}, Span{StepVerdict}, Span{int?})"/>.
/// </summary>
public abstract class StepChecker<TMeta> : IStepChecker
    where TMeta : TaskMetadata
{
    public abstract string Task { get; }

    /// <summary>Whether this checker reports <see cref="StepJudgement.DistanceToGoal"/>.</summary>
    protected virtual bool HasDistance => false;

    public StepJudgement Judge(TaskItem item, IReadOnlyList<string?> lines)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(lines);
        if (item.Metadata is not TMeta meta)
            throw new ArgumentException(
                $"the {Task} step checker cannot judge item '{item.Id}' of task {item.Task} ({item.Metadata.GetType().Name})",
                nameof(item));
        var verdicts = new StepVerdict[lines.Count];
        var distances = HasDistance ? new int?[lines.Count] : null;
        Judge(item, meta, lines, verdicts, distances);
        return new StepJudgement(verdicts, distances);
    }

    /// <summary>
    /// Fills <paramref name="verdicts"/> (all <see cref="StepVerdict.Neutral"/> on entry) and, when
    /// <see cref="HasDistance"/>, <paramref name="distances"/> (all null on entry), one per line.
    /// </summary>
    protected abstract void Judge(TaskItem item, TMeta metadata, IReadOnlyList<string?> lines, Span<StepVerdict> verdicts, Span<int?> distances);

    /// <summary>The error for metadata this checker cannot use: the item, the field and what was expected.</summary>
    protected HierReasonException Malformed(TaskItem item, string field, string expected)
        => new($"{Task} item '{item.Id}': metadata.{field}: expected {expected}");
}
