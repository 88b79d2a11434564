namespace HierReason.Core.Tasks;

/// <summary>The tasks HierReason knows, by name. Registering a task is one line in <see cref="Default"/>.</summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, IReasoningTask> _byName;

    public TaskRegistry(IEnumerable<IReasoningTask> tasks)
    {
        All = tasks.ToArray();
        _byName = new Dictionary<string, IReasoningTask>(StringComparer.Ordinal);
        foreach (var t in All)
            if (!_byName.TryAdd(t.Name, t))
                throw new ArgumentException($"task '{t.Name}' registered twice");
    }

    /// <summary>Every built-in task.</summary>
    public static TaskRegistry Default { get; } = new(
    [
        new LegCountingTask(),
        new BasicArithmeticTask(),
        new ChainSumTask(),
        new LetterCountingTask(),
        new GsmSymbolicTask(),
        new TowerOfHanoiTask(),
        new MiniSudokuTask(),
        new SimpleGeometryTask(),
        new ShortestPathTask(),
        new CountdownTask(),
        new MultiStepArithmeticTask(),
        new MultiHopLookupTask(),
    ]);

    public IReadOnlyList<IReasoningTask> All { get; }

    public IEnumerable<string> Names => All.Select(t => t.Name);

    public IReasoningTask? TryGet(string name) => _byName.GetValueOrDefault(name);

    public IReasoningTask Get(string name) => TryGet(name)
        ?? throw new HierReasonException($"unknown task '{name}': expected one of {string.Join(", ", Names)}");
}
