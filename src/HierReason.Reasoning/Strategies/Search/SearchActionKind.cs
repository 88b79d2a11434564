namespace HierReason.Reasoning.Strategies.Search;

/// <summary>What a thinker (or searcher) turn asked for: a search with its query, an answer, or nothing well-formed.</summary>
public enum SearchActionKind
{
    Invalid,
    Search,
    Answer,
}
