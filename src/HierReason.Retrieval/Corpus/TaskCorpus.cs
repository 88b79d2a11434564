using HierReason.Core;
using HierReason.Core.Tasks;

namespace HierReason.Retrieval.Corpus;

/// <summary>Corpora a task generates (today only <c>multi_hop_lookup</c>'s worlds), as retrieval documents.</summary>
public static class TaskCorpus
{
    /// <summary>The documents of one multi-hop world (e.g. an item's <see cref="MultiHopLookupMetadata.World"/>).</summary>
    public static IReadOnlyList<Document> Of(MultiHopWorldSpec world)
        => MultiHopLookupTask.Corpus(world).Select(d => new Document(d.Id, d.Title, d.SearchR1Contents)).ToArray();

    /// <summary>
    /// The world of <paramref name="task"/>'s <paramref name="level"/> (the default config when null) in
    /// <paramref name="split"/> with <paramref name="worldSeed"/>: the corpus that level's items retrieve from.
    /// </summary>
    public static IReadOnlyList<Document> Generate(IReasoningTask task, Split split, long worldSeed, int? level = null)
    {
        if (task is not MultiHopLookupTask)
            throw new HierReasonException($"task '{task.Name}' has no corpus: its items need no retrieval (tasks with documents: multi_hop_lookup)");
        if (level is int l && (l < 0 || l >= task.Levels.Count))
            throw new HierReasonException($"--level: {task.Name} has levels 0-{task.Levels.Count - 1}; found {l}");
        ArgumentOutOfRangeException.ThrowIfNegative(worldSeed);
        var config = (MultiHopLookupConfig)(level is int i ? task.Levels[i] : task.DefaultConfig) with { WorldSeed = worldSeed };
        return Of(MultiHopWorldSpec.Of(config, split));
    }
}
