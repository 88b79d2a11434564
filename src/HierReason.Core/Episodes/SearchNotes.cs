namespace HierReason.Core.Episodes;

/// <summary>
/// What a search episode (flat_search, thinker_searcher) records, in one vocabulary for the environments that write it
/// (HierReason.Reasoning) and the rewards and reports that read it (HierReason.Training): statistic names, and the keys
/// of the <see cref="Segment.Metadata"/> of the segments the environment inserts.
/// </summary>
public static class SearchNotes
{
    /// <summary>Searches the environment answered (well-formed <c>&lt;search&gt;</c> turns within the turn limit).</summary>
    public const string Searches = "searches";

    /// <summary>Thinker turns with neither a well-formed <c>&lt;search&gt;</c> nor an <c>&lt;answer&gt;</c>.</summary>
    public const string InvalidActions = "invalid_actions";

    /// <summary>1 − <see cref="InvalidActions"/> / the thinker's turns the environment judged.</summary>
    public const string ValidActionRate = "valid_action_rate";

    /// <summary>multi_hop_lookup: the fraction of the chain's gold documents among every retrieved document of the episode.</summary>
    public const string GoldDocsRetrieved = "gold_docs_retrieved";

    /// <summary>1 when some inserted <c>&lt;information&gt;</c> holds the gold answer (both normalised as Search-R1 does), else 0.</summary>
    public const string InformationHasAnswer = "information_has_answer";

    /// <summary>thinker_searcher: completion tokens of every searcher model call.</summary>
    public const string SearcherTokens = "searcher_tokens";

    /// <summary>thinker_searcher: searcher model calls (search turns and forced answers; 1 per search for the scripted searchers).</summary>
    public const string SearcherTurns = "searcher_turns";

    /// <summary>Segment metadata: what the segment answers, <see cref="SearchKind"/> or <see cref="InvalidKind"/>.</summary>
    public const string Kind = "kind";

    public const string SearchKind = "search";
    public const string InvalidKind = "invalid";

    /// <summary>Segment metadata: the thinker's query.</summary>
    public const string Query = "query";

    /// <summary>Segment metadata: the ids of every document retrieved for the query (the searcher's own searches included), comma-separated.</summary>
    public const string DocIds = "doc_ids";

    /// <summary>Segment metadata: the searcher's whole trajectory (its replies and the passages it read), never in the thinker's tokens.</summary>
    public const string SearcherTrajectory = "searcher_trajectory";
}
