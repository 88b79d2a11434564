namespace HierReason.Core.Tasks;

/// <summary>
/// What a task needs to generate one item: its seeded generator, and the split filter that keeps
/// splits disjoint. A task draws candidate questions until <see cref="Accepts"/> says yes.
/// </summary>
public sealed class ItemContext
{
    /// <summary>Draws allowed before generation gives up (a config whose question space is too small).</summary>
    public const int MaxDraws = 10_000;

    private int _draws;

    public ItemContext(string task, Split split, long seed, long index, int? level = null)
    {
        Task = task;
        Split = split;
        Seed = seed;
        Index = index;
        Level = level;
        Rng = new TaskRng(ItemSeeds.Derive(task, split, seed, index));
    }

    public string Task { get; }
    public Split Split { get; }
    public long Seed { get; }
    public long Index { get; }
    public int? Level { get; }
    public TaskRng Rng { get; }

    /// <summary>How many candidate questions were drawn for this item.</summary>
    public int Draws => _draws;

    /// <summary>
    /// True when the question belongs to this item's split. Each split owns a fixed part of the
    /// question space (by a hash of the text), so no question can appear in two splits.
    /// </summary>
    public bool Accepts(string question) => Accepts(question.AsSpan());

    /// <summary>The same check on text still in a buffer, so rejected draws allocate nothing.</summary>
    public bool Accepts(ReadOnlySpan<char> question)
    {
        _draws++;
        if (ItemSeeds.SplitOf(question) == Split) return true;
        if (_draws >= MaxDraws)
            throw new HierReasonException(
                $"{Task}: could not draw a {Split.Name()} question in {MaxDraws} tries; the config allows too few distinct questions to keep splits disjoint (widen its ranges)");
        return false;
    }

    /// <summary>Builds the item, stamping its metadata with where it came from.</summary>
    public TaskItem Item(string question, string answer, TaskMetadata metadata)
    {
        metadata.Source = new ItemSource(Split.Name(), Seed, Index);
        var withLevel = Level is null || metadata.Level is not null ? metadata : metadata with { Level = Level };
        return new TaskItem($"{Task}/{Split.Name()}/{Seed}/{Index}", Task, question, answer, withLevel);
    }
}
