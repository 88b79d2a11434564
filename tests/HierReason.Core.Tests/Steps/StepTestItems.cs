using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

/// <summary>Real generated items for the step-checker tests, and the judgement of a text.</summary>
internal static class StepTestItems
{
    /// <summary>Items per level, as the issue asks: every level's 1,000 first train items.</summary>
    public const int PerLevel = 1000;

    /// <summary>(level, item) for <see cref="PerLevel"/> train items of every level of the task.</summary>
    public static IEnumerable<(int Level, TaskItem Item)> EveryLevel(string task, int perLevel = PerLevel)
    {
        var t = TaskRegistry.Default.Get(task);
        for (var level = 0; level < t.Levels.Count; level++)
            foreach (var item in TaskDataset.Create(t, Split.Train, seed: 17, size: perLevel, level: level))
                yield return (level, item);
    }

    public static StepJudgement Judge(TaskItem item, string completion)
        => StepCheckerRegistry.Default.Get(item.Task).Judge(item, StepLines.Split(completion));

    public static StepJudgement Judge(TaskItem item, IReadOnlyList<string> lines)
        => StepCheckerRegistry.Default.Get(item.Task).Judge(item, lines);

    /// <summary>A deterministic choice in [0, count) per item, spread over the steps rather than always the first.</summary>
    public static int Pick(TaskItem item, int count, int salt = 0)
    {
        var key = (ulong)item.Metadata.Source.Index * 0x9E3779B97F4A7C15UL + (ulong)(item.Metadata.Level ?? 0) * 0x85EBCA6BUL + (ulong)salt;
        key ^= key >> 29;
        return (int)(key % (ulong)count);
    }

    /// <summary>
    /// Asserts that the corrupted trace is judged Incorrect at <paramref name="line"/>, that this is
    /// the first error, and that every earlier line keeps its verdict on the gold trace.
    /// </summary>
    public static StepJudgement AssertFirstErrorAt(TaskItem item, string[] gold, string[] corrupted, int line)
    {
        var before = Judge(item, gold);
        var after = Judge(item, corrupted);
        Assert.True(after.FirstError == line,
            $"{item.Id}: expected the first error at line {line} '{corrupted[line]}', got {after.FirstError?.ToString() ?? "none"}\n{string.Join('\n', corrupted)}");
        Assert.Equal(StepVerdict.Incorrect, after.Verdicts[line]);
        Assert.Equal(before.Verdicts.Take(line), after.Verdicts.Take(line));
        return after;
    }
}
