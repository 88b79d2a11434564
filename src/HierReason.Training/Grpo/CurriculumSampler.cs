using HierReason.Core.Tasks;
using HierReason.Training.Experiments;

namespace HierReason.Training.Grpo;

/// <summary>
/// GRPO prompts under a difficulty curriculum. Position i of the data picks its task as the plain mixture does (a hash of
/// data seed and i, in proportion to the weights), then generates train item i of that task at the task's current level;
/// each completion's correctness feeds that task's <see cref="DifficultyCurriculum"/>, which moves the level.
/// </summary>
public sealed class CurriculumSampler
{
    private readonly TaskMixture _mixture;
    private readonly Dictionary<string, (CurriculumTask Task, DifficultyCurriculum Curriculum)> _tasks;
    private readonly long _seed;

    public CurriculumSampler(CurriculumSection section, IReadOnlyList<MixtureEntry> entries, long seed)
    {
        _mixture = new TaskMixture(entries, Split.Train, seed, 0);
        _seed = seed;
        _tasks = section.Tasks.ToDictionary(t => t.Task.Name, t => (t, new DifficultyCurriculum(t.Task, section.Options, t.StartLevel - t.MinLevel,
            t.Levels.Skip(t.MinLevel).Take(t.MaxLevel - t.MinLevel + 1).ToArray())), StringComparer.Ordinal);
        foreach (var e in entries)
            if (!_tasks.ContainsKey(e.Task.Name)) throw new TrainingException($"curriculum: no curriculum for the training task {e.Task.Name}");
    }

    /// <summary>Each task's current level (an index into its task file's levels).</summary>
    public IReadOnlyDictionary<string, int> Levels => _tasks.ToDictionary(kv => kv.Key, kv => kv.Value.Task.MinLevel + kv.Value.Curriculum.Level, StringComparer.Ordinal);

    /// <summary>The training item at data position <paramref name="position"/>, at its task's current level.</summary>
    public TaskItem Draw(long position)
    {
        var entry = _mixture.Entries[_mixture.EntryIndex(position)];
        var (task, curriculum) = _tasks[entry.Task.Name];
        return entry.Task.Generate(curriculum.Config, Split.Train, _seed, position, task.MinLevel + curriculum.Level);
    }

    /// <summary>Adds one completion's correctness to its task's rolling accuracy.</summary>
    public CurriculumMove Record(string task, double correct) => _tasks[task].Curriculum.Record(correct);

    /// <summary>Per task: level (relative to the range) and window, for <c>trainer_state.json</c>.</summary>
    public IReadOnlyDictionary<string, CurriculumSnapshot> Snapshot() =>
        _tasks.ToDictionary(kv => kv.Key, kv => kv.Value.Curriculum.Snapshot() with { Level = kv.Value.Task.MinLevel + kv.Value.Curriculum.Level }, StringComparer.Ordinal);

    public void Restore(IReadOnlyDictionary<string, CurriculumSnapshot>? state)
    {
        if (state is null) throw new TrainingException("curriculum: the checkpoint has no curriculum state (it was written by a run without a curriculum)");
        foreach (var (name, (task, curriculum)) in _tasks)
        {
            if (!state.TryGetValue(name, out var s)) throw new TrainingException($"curriculum: the checkpoint has no curriculum state for {name}");
            curriculum.Restore(s with { Level = s.Level - task.MinLevel });
        }
    }
}
