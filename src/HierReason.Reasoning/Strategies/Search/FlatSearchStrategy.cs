using HierReason.Core.Episodes;
using HierReason.Core.Prompts;
using HierReason.Retrieval;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// flat_search (Search-R1): the policy searches with <c>&lt;search&gt;query&lt;/search&gt;</c> and reads the top-k
/// passages inside <c>&lt;information&gt;</c> (masked), then answers; only its own <c>&lt;answer&gt;</c> counts. Gold
/// episodes: the gold trace with the real top-k passages of each gold query.
/// </summary>
public static class FlatSearchStrategy
{
    public const string Name = "flat_search";

    /// <summary>How to search, after the universal instruction.</summary>
    public const string SearchHint =
        "You may search a document collection: write <search>query</search> and the best documents appear between <information> and </information>. " +
        "Search as often as you need, then give the answer inside <answer> and </answer>.";

    public static string Prompt(string question) => TaskPrompt.Instruction + "\n" + SearchHint + "\n\n" + question;

    /// <summary>The strategy over <paramref name="retrievers"/> (which it keeps for its lifetime).</summary>
    public static EpisodeStrategy Create(SearchOptions options, WorldRetrievers? retrievers = null)
    {
        var worlds = retrievers ?? new WorldRetrievers(options.RetrieverUrl);
        return new EpisodeStrategy
        {
            Name = Name,
            Prompt = item => Prompt(item.Question),
            Environment = new SearchEnvironment(Name, new PassageSearcher(worlds, options.TopK), options.MaxTurns, Actor.Environment),
            Answers = AnswerSource.Policy,
            Gold = item => SearchGold.Episode(item, Actor.Environment,
                (meta, hop) => SearchR1Format.Passages(worlds.World(item).Search(meta.Hops[hop].Query, options.TopK))),
        };
    }
}
