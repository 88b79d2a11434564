using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>A thinker's query in its episode (whose last segment is the turn that asked it).</summary>
public sealed record SearchRequest(Episode Episode, string Query)
{
    public Core.Tasks.TaskItem Item => Episode.Item ?? throw new InvalidOperationException("a search episode needs its task item (its world is the corpus)");
}
