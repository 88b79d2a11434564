using System.Globalization;

namespace HierReason.Core.Results;

/// <summary>
/// The task column of a summary: a task at one difficulty level. A tasks.json entry without <c>level</c> is the task's
/// name alone (as results always were); one with a level is its own row, <c>multi_hop_lookup (level 1)</c>, so two
/// levels of one task are never pooled into a single accuracy.
/// </summary>
public static class TaskCell
{
    /// <summary>The label of <paramref name="task"/> at <paramref name="level"/> (null: the task's own config).</summary>
    public static string Label(string task, int? level) =>
        level is { } l ? string.Create(CultureInfo.InvariantCulture, $"{task} (level {l})") : task;

    /// <summary>The task name of a label (<see cref="Label"/> inverted: the label itself when it names no level).</summary>
    public static string TaskOf(string label)
    {
        var at = label.LastIndexOf(" (level ", StringComparison.Ordinal);
        return at > 0 && label.EndsWith(')') ? label[..at] : label;
    }
}
