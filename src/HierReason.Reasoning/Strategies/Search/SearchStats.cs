using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// The statistics of a search episode (<see cref="SearchNotes"/>) after one environment step. The runner sums the stats of
/// every step, so the rates (valid actions, gold documents, answer in information) are sent as the change from what the
/// episode holds: their sum is always the episode's current value.
/// </summary>
public static class SearchStats
{
    /// <summary>
    /// The stats of the step that judged <paramref name="episode"/>'s last turn and inserted <paramref name="added"/> (null
    /// when it inserted nothing): <paramref name="counts"/> are added as they are (searches, invalid actions, searcher work).
    /// </summary>
    public static IReadOnlyDictionary<string, double> Step(Episode episode, Segment? added, IReadOnlyDictionary<string, double> counts)
    {
        var stats = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [SearchNotes.Searches] = 0,
            [SearchNotes.InvalidActions] = 0,
        };
        foreach (var (name, value) in counts) stats[name] = value;

        var judged = Math.Max(1, episode.PolicyTurns);
        var invalid = episode.Stats.GetValueOrDefault(SearchNotes.InvalidActions) + stats[SearchNotes.InvalidActions];
        Change(stats, episode, SearchNotes.ValidActionRate, 1 - invalid / judged);

        var inserted = episode.EnvironmentSegments.Append(added).OfType<Segment>().Where(s => s.Metadata?.GetValueOrDefault(SearchNotes.Kind) == SearchNotes.SearchKind).ToArray();
        if (episode.Item is { } item)
        {
            var answer = " " + MultiHopLookupTask.NormalizeAnswer(item.Answer) + " ";
            var found = answer.Trim().Length > 0 && inserted.Any(s => (" " + MultiHopLookupTask.NormalizeAnswer(s.Text) + " ").Contains(answer, StringComparison.Ordinal));
            Change(stats, episode, SearchNotes.InformationHasAnswer, found ? 1 : 0);
            if (item.Metadata is MultiHopLookupMetadata meta && meta.GoldDocIds.Count > 0)
            {
                var retrieved = inserted.SelectMany(DocIds).ToHashSet(StringComparer.Ordinal);
                Change(stats, episode, SearchNotes.GoldDocsRetrieved, meta.GoldDocIds.Count(retrieved.Contains) / (double)meta.GoldDocIds.Count);
            }
        }
        return stats;
    }

    /// <summary>The doc ids a segment's metadata lists.</summary>
    public static IEnumerable<string> DocIds(Segment segment) =>
        segment.Metadata?.GetValueOrDefault(SearchNotes.DocIds) is { Length: > 0 } ids ? ids.Split(',') : [];

    private static void Change(Dictionary<string, double> stats, Episode episode, string name, double value) =>
        stats[name] = value - episode.Stats.GetValueOrDefault(name);
}
