namespace HierReason.Core.Steps;

/// <summary>
/// The tasks that have an oracle step checker, by task name. Checkers are optional and live apart
/// from their tasks, so adding a task stays one file; giving it a checker is one more file and one
/// line in <see cref="Default"/>.
/// </summary>
public sealed class StepCheckerRegistry
{
    private readonly Dictionary<string, IStepChecker> _byTask;

    public StepCheckerRegistry(IEnumerable<IStepChecker> checkers)
    {
        All = checkers.ToArray();
        _byTask = new Dictionary<string, IStepChecker>(StringComparer.Ordinal);
        foreach (var c in All)
            if (!_byTask.TryAdd(c.Task, c))
                throw new ArgumentException($"a step checker for task '{c.Task}' registered twice");
    }

    /// <summary>Every built-in step checker.</summary>
    public static StepCheckerRegistry Default { get; } = new(
    [
        new ChainSumStepChecker(),
        new TowerOfHanoiStepChecker(),
        new MiniSudokuStepChecker(),
        new ShortestPathStepChecker(),
        new MultiStepArithmeticStepChecker(),
    ]);

    public IReadOnlyList<IStepChecker> All { get; }

    /// <summary>The names of the tasks that have a checker.</summary>
    public IEnumerable<string> Tasks => All.Select(c => c.Task);

    /// <summary>Whether <paramref name="task"/> has a step checker.</summary>
    public bool Has(string task) => _byTask.ContainsKey(task);

    public IStepChecker? TryGet(string task) => _byTask.GetValueOrDefault(task);

    public IStepChecker Get(string task) => TryGet(task)
        ?? throw new HierReasonException($"task '{task}' has no step checker: expected one of {string.Join(", ", Tasks)}");
}
