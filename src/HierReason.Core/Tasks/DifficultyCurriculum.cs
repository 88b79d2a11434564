namespace HierReason.Core.Tasks;

/// <summary>What a recorded score did to a <see cref="DifficultyCurriculum"/>.</summary>
public enum CurriculumMove
{
    Stay = 0,
    Promoted = 1,
    Demoted = 2,
}

/// <summary>
/// Moves a task's difficulty level (an index into its levels) from the rolling accuracy of recent
/// scores: one level up when the mean reaches <see cref="CurriculumOptions.PromoteAt"/>, one down when
/// it falls to <see cref="CurriculumOptions.DemoteAt"/>. A change clears the window, because scores
/// earned at the old level say nothing about the new one.
/// </summary>
public sealed class DifficultyCurriculum
{
    private readonly double[] _window;
    private int _count;
    private int _next;
    private double _sum;

    public DifficultyCurriculum(IReasoningTask task, CurriculumOptions? options = null, int startLevel = 0, IReadOnlyList<TaskConfig>? levels = null)
    {
        Task = task;
        Options = options ?? new CurriculumOptions();
        Options.Validate();
        Levels = levels ?? task.Levels;
        if (Levels.Count == 0) throw new HierReasonException($"{task.Name}: a curriculum needs at least one difficulty level");
        if (startLevel < 0 || startLevel >= Levels.Count)
            throw new HierReasonException($"{task.Name}: start level {startLevel} is not in [0, {Levels.Count - 1}]");
        Level = startLevel;
        _window = new double[Options.Window];
    }

    public IReasoningTask Task { get; }
    public CurriculumOptions Options { get; }
    public IReadOnlyList<TaskConfig> Levels { get; }

    /// <summary>The current level, an index into <see cref="Levels"/>.</summary>
    public int Level { get; private set; }

    /// <summary>The config of the current level.</summary>
    public TaskConfig Config => Levels[Level];

    /// <summary>Scores recorded since the last change (at most the window).</summary>
    public int Samples => _count;

    /// <summary>The mean of the scores in the window, or 0 when there are none.</summary>
    public double Mean => _count == 0 ? 0.0 : _sum / _count;

    /// <summary>Adds one score (clamped to [0, 1]) and moves the level when the rolling mean says so.</summary>
    public CurriculumMove Record(double score)
    {
        score = double.IsFinite(score) ? Math.Clamp(score, 0.0, 1.0) : 0.0;
        if (_count < _window.Length) _count++;
        _window[_next] = score;
        _next = (_next + 1) % _window.Length;
        // Summed afresh each time: a running sum drifts, and thresholds are compared exactly.
        _sum = 0;
        for (var i = 0; i < _count; i++) _sum += _window[i];

        if (_count < Options.MinSamples) return CurriculumMove.Stay;
        var mean = Mean;
        if (mean >= Options.PromoteAt && Level < Levels.Count - 1) return Move(+1);
        if (mean <= Options.DemoteAt && Level > 0) return Move(-1);
        return CurriculumMove.Stay;
    }

    /// <summary>The level and the raw rolling window (ring order), enough to continue exactly where this curriculum stands.</summary>
    public CurriculumSnapshot Snapshot() => new(Level, _window.Take(_count).ToArray(), _next);

    /// <summary>Puts back a <see cref="Snapshot"/> taken from a curriculum with the same levels and window.</summary>
    public void Restore(CurriculumSnapshot snapshot)
    {
        if (snapshot.Level < 0 || snapshot.Level >= Levels.Count)
            throw new HierReasonException($"{Task.Name}: saved curriculum level {snapshot.Level} is not in [0, {Levels.Count - 1}]");
        if (snapshot.Window.Count > _window.Length || snapshot.Next < 0 || snapshot.Next >= _window.Length)
            throw new HierReasonException($"{Task.Name}: the saved curriculum window does not fit a window of {_window.Length}");
        Array.Clear(_window);
        for (var i = 0; i < snapshot.Window.Count; i++) _window[i] = snapshot.Window[i];
        Level = snapshot.Level;
        _count = snapshot.Window.Count;
        _next = snapshot.Next;
        _sum = 0;
        for (var i = 0; i < _count; i++) _sum += _window[i];
    }

    private CurriculumMove Move(int delta)
    {
        Level += delta;
        _count = 0;
        _next = 0;
        _sum = 0;
        return delta > 0 ? CurriculumMove.Promoted : CurriculumMove.Demoted;
    }
}

/// <summary>A <see cref="DifficultyCurriculum"/>'s state: its level, the scores in its window (ring order) and the next ring slot.</summary>
public sealed record CurriculumSnapshot(
    [property: System.Text.Json.Serialization.JsonPropertyName("level")] int Level,
    [property: System.Text.Json.Serialization.JsonPropertyName("window")] IReadOnlyList<double> Window,
    [property: System.Text.Json.Serialization.JsonPropertyName("next")] int Next);
