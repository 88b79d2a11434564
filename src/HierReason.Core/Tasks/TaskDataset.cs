using System.Collections;

namespace HierReason.Core.Tasks;

/// <summary>
/// A split of a task as a list: item i is generated on first access from (task, split, seed, i), so
/// a dataset of any size shares its first items with every larger one, and splits never overlap.
/// </summary>
public sealed class TaskDataset : IReadOnlyList<TaskItem>
{
    private readonly TaskItem?[] _items;

    private TaskDataset(IReasoningTask task, TaskConfig config, Split split, long seed, int size, int? level)
    {
        Task = task;
        Config = config;
        Split = split;
        Seed = seed;
        Level = level;
        _items = new TaskItem?[size];
    }

    /// <summary>reasoning-gym's <c>create_dataset</c>: <paramref name="config"/> defaults to the task's defaults.</summary>
    public static TaskDataset Create(IReasoningTask task, Split split, long seed, int size, TaskConfig? config = null, int? level = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var c = config ?? (level is int l ? task.Levels[Math.Clamp(l, 0, task.Levels.Count - 1)] : task.DefaultConfig);
        c.Validate();
        return new TaskDataset(task, c, split, seed, size, level);
    }

    public static TaskDataset Create(string task, Split split, long seed, int size, TaskConfig? config = null)
        => Create(TaskRegistry.Default.Get(task), split, seed, size, config);

    public IReasoningTask Task { get; }
    public TaskConfig Config { get; }
    public Split Split { get; }
    public long Seed { get; }
    public int? Level { get; }

    public int Count => _items.Length;

    public TaskItem this[int index] => _items[index] ??= Task.Generate(Config, Split, Seed, index, Level);

    public double Score(string? answer, TaskItem item) => Task.Score(answer, item);

    public IEnumerator<TaskItem> GetEnumerator()
    {
        for (var i = 0; i < _items.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
