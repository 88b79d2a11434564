using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// The environment of both search strategies (Search-R1's loop): the thinker's turn ends at <c>&lt;/search&gt;</c> or
/// <c>&lt;/answer&gt;</c>; the first well-formed action decides. An answer ends the episode; a search is answered by the
/// <see cref="ISearcher"/> (all searches of the round in one call) as <c>&lt;information&gt;…&lt;/information&gt;</c>
/// written by <see cref="Writer"/> (masked); anything else gets Search-R1's invalid-action text (masked). A turn that
/// reaches <see cref="MaxTurns"/> without an answer ends the episode. Stats: <see cref="SearchNotes"/>.
/// </summary>
public sealed class SearchEnvironment : IEnvironment
{
    private static readonly TurnSpec ThinkerTurn = new([SearchAction.SearchClose, Core.Answers.AnswerExtractor.Close]);
    private readonly ISearcher _searcher;

    public SearchEnvironment(string name, ISearcher searcher, int maxTurns, Actor writer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTurns, 1);
        Name = name;
        _searcher = searcher;
        MaxTurns = maxTurns;
        Writer = writer;
    }

    public string Name { get; }

    public int MaxTurns { get; }

    /// <summary>The actor of the inserted information (<see cref="Actor.Environment"/> for passages, <see cref="Actor.Searcher"/> for a searcher's summary).</summary>
    public Actor Writer { get; }

    public ISearcher Searcher => _searcher;

    public TurnSpec NextTurn(Episode episode) => ThinkerTurn;

    public async Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken)
    {
        var steps = new EnvironmentStep?[episodes.Count];
        var searches = new List<(int Index, SearchRequest Request)>();
        for (var i = 0; i < episodes.Count; i++)
        {
            var episode = episodes[i];
            var last = episode.Segments[^1];
            if (!episode.IsPolicy(last)) continue;
            var action = SearchAction.Parse(last.Text);
            var atLimit = episode.PolicyTurns >= MaxTurns;
            if (action.Kind == SearchActionKind.Answer) steps[i] = EnvironmentStep.Stop(SearchStats.Step(episode, null, Counts()));
            else if (action.Kind == SearchActionKind.Invalid)
            {
                var segment = atLimit ? null : new Segment(Actor.Environment, SearchAction.InvalidText) { Metadata = new Dictionary<string, string> { [SearchNotes.Kind] = SearchNotes.InvalidKind } };
                var stats = SearchStats.Step(episode, segment, Counts(invalid: 1));
                steps[i] = segment is null ? EnvironmentStep.Stop(stats) : EnvironmentStep.Continue(segment, stats);
            }
            else if (atLimit) steps[i] = EnvironmentStep.Stop(SearchStats.Step(episode, null, Counts()));
            else searches.Add((i, new SearchRequest(episode, action.Content)));
        }

        var replies = searches.Count == 0 ? [] : await _searcher.AnswerAsync(searches.Select(s => s.Request).ToArray(), cancellationToken).ConfigureAwait(false);
        if (replies.Count != searches.Count) throw new InvalidOperationException($"the searcher answered {replies.Count} of {searches.Count} searches");
        for (var k = 0; k < searches.Count; k++)
        {
            var (i, request) = searches[k];
            var reply = replies[k];
            var metadata = new Dictionary<string, string>
            {
                [SearchNotes.Kind] = SearchNotes.SearchKind,
                [SearchNotes.Query] = request.Query,
                [SearchNotes.DocIds] = string.Join(',', reply.DocIds),
            };
            if (reply.Trajectory is { } trajectory) metadata[SearchNotes.SearcherTrajectory] = trajectory;
            var segment = new Segment(Writer, SearchAction.Information(reply.Information)) { Metadata = metadata };
            steps[i] = EnvironmentStep.Continue(segment, SearchStats.Step(request.Episode, segment, Counts(searches: 1, reply.SearcherTokens, reply.SearcherTurns)));
        }
        return steps;
    }

    /// <summary>The step's additive stats; a searcher's work is counted (as 0 too) only where a searcher answers.</summary>
    private Dictionary<string, double> Counts(int searches = 0, int tokens = 0, int turns = 0, int invalid = 0)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal) { [SearchNotes.Searches] = searches, [SearchNotes.InvalidActions] = invalid };
        if (Writer == Actor.Searcher)
        {
            counts[SearchNotes.SearcherTokens] = tokens;
            counts[SearchNotes.SearcherTurns] = turns;
        }
        return counts;
    }
}
