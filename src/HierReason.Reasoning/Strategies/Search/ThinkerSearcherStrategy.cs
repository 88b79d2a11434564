using HierReason.Backends;
using HierReason.Core.Episodes;
using HierReason.Core.Prompts;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// thinker_searcher (seed 004): the trained thinker writes <c>&lt;search&gt;query&lt;/search&gt;</c>; a searcher sub-agent
/// (a frozen model, the extractive baseline or the oracle) answers it, and only its summary comes back inside
/// <c>&lt;information&gt;</c> (a masked <see cref="Actor.Searcher"/> segment); its trajectory and documents go to the
/// segment's metadata and the stats. Only the thinker's own <c>&lt;answer&gt;</c> counts. Gold episodes: the gold trace
/// with the oracle's sentence for each hop.
/// </summary>
public static class ThinkerSearcherStrategy
{
    public const string Name = "thinker_searcher";

    /// <summary>How to ask the searcher, after the universal instruction.</summary>
    public const string SearchHint =
        "You may ask a search assistant: write <search>query</search> and its short answer appears between <information> and </information>. " +
        "Ask one fact at a time, as often as you need, then give the answer inside <answer> and </answer>.";

    public static string Prompt(string question) => TaskPrompt.Instruction + "\n" + SearchHint + "\n\n" + question;

    /// <summary>The strategy; <paramref name="searcherModel"/> is needed (only) under <c>searcher: "model"</c>.</summary>
    public static EpisodeStrategy Create(SearchOptions options, IModelBackend? searcherModel, WorldRetrievers? retrievers = null)
    {
        var worlds = retrievers ?? new WorldRetrievers(options.RetrieverUrl);
        ISearcher searcher = options.Searcher switch
        {
            SearchOptions.ExtractiveSearcher => new ExtractiveSearcher(worlds),
            SearchOptions.OracleSearcher => new OracleSearcher(worlds),
            _ => searcherModel is null ? new GoldOnlySearcher() : new ModelSearcher(searcherModel, worlds, options),
        };
        return new EpisodeStrategy
        {
            Name = Name,
            Prompt = item => Prompt(item.Question),
            Environment = new SearchEnvironment(Name, searcher, options.MaxTurns, Actor.Searcher),
            Answers = AnswerSource.Policy,
            Gold = item => SearchGold.Episode(item, Actor.Searcher, (meta, hop) => OracleSearcher.Sentence(worlds.World(item), meta.Hops[hop])),
        };
    }

    /// <summary>The searcher of a strategy built for SFT without its model: gold episodes need none, a rollout is a bug the message names.</summary>
    private sealed class GoldOnlySearcher : ISearcher
    {
        public Task<IReadOnlyList<SearchReply>> AnswerAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("thinker_searcher was built for its gold episodes only (SFT, no searcher model): rolling out with searcher \"model\" needs a searcher (grpo.environment_models)");
    }
}
