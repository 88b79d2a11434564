using System.Diagnostics;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Training.Prm;

/// <summary>How far a labelling run is: items done of all, items found finished in the file, and what was sampled.</summary>
public sealed record StepLabelProgress(int ItemsDone, int ItemsTotal, int ItemsResumed, int Trajectories, int States, int Rollouts, TimeSpan Elapsed)
{
    /// <summary>The time left at this run's pace; null before the first batch.</summary>
    public TimeSpan? Remaining => ItemsDone > ItemsResumed
        ? Elapsed * ((double)(ItemsTotal - ItemsDone) / (ItemsDone - ItemsResumed))
        : null;
}

/// <summary>
/// Labels a dataset into a JSONL file batch by batch, resumably: items whose records are all in the file (complete
/// lines, as many as each says the item wrote) are kept and skipped; after every batch the whole file is rewritten
/// atomically, so an interrupted run leaves the batches it finished.
/// </summary>
public sealed class StepLabelRun(StepLabeler labeler, LabelKind kind, int batchItems)
{
    public StepLabelProgress Run(string path, IReadOnlyList<TaskItem> items, IReasoningTask task, IStepChecker? checker, Action<StepLabelProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchItems, 1);
        var existing = StepLabelFile.Read(path);
        var name = LabelKinds.Name(kind);
        if (existing.FirstOrDefault(l => l.LabelKind != name) is { } other)
            throw new TrainingException($"{path}: holds {other.LabelKind ?? "unnamed"} labels; rerun with --labels {other.LabelKind} to resume it, or write to another file");
        // An item counts only when every record it wrote is there; its other lines are dropped and it is labelled again.
        var finished = existing.GroupBy(l => l.Record.ItemId)
            .Where(g => g.Select(l => l.Record.Sample).Distinct().Count() == g.First().Record.ItemRecords)
            .ToDictionary(g => g.Key, g => g.DistinctBy(l => l.Record.Sample).Select(l => l.Text).ToArray());
        var lines = new List<string>();
        foreach (var item in items)
            if (finished.TryGetValue(item.Id, out var kept)) lines.AddRange(kept);
        var todo = items.Where(i => !finished.ContainsKey(i.Id)).ToArray();
        var resumed = items.Count - todo.Length;

        var clock = Stopwatch.StartNew();
        var state = new StepLabelProgress(resumed, items.Count, resumed, 0, 0, 0, TimeSpan.Zero);
        progress?.Invoke(state);
        if (todo.Length == 0 && existing.Count == lines.Count) return state;
        for (var start = 0; start < todo.Length; start += batchItems)
        {
            var batch = todo.Skip(start).Take(batchItems).ToArray();
            var records = labeler.Label(batch, task, checker);
            lines.AddRange(records.Select(r => StepLabelFile.Format(r, kind)));
            StepLabelFile.Write(path, lines);
            var (t, s, r) = labeler.LastWork;
            state = state with
            {
                ItemsDone = state.ItemsDone + batch.Length,
                Trajectories = state.Trajectories + t,
                States = state.States + s,
                Rollouts = state.Rollouts + r,
                Elapsed = clock.Elapsed,
            };
            progress?.Invoke(state);
        }
        // Nothing left to label, but dropped lines of unfinished items are gone from the file too.
        if (todo.Length == 0) StepLabelFile.Write(path, lines);
        return state;
    }
}
