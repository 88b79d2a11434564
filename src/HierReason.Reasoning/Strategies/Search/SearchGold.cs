using System.Text.RegularExpressions;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// Gold episodes of the search strategies from a multi_hop_lookup item's gold trace: the thinker's text (searches, the
/// fact each gives, the answer) as policy segments, each <c>&lt;information&gt;</c> block replaced by what the strategy's
/// environment would insert for that hop's gold query, as a masked segment, so SFT learns only the thinker's text.
/// </summary>
public static class SearchGold
{
    private static readonly Regex InformationBlock = new(@"\s*<information>.*?</information>\s*", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>
    /// The segments of <paramref name="item"/>'s gold episode, <paramref name="information"/> giving the text inside the
    /// inserted block for hop i's query, written by <paramref name="writer"/>; null for items of other tasks.
    /// </summary>
    public static IReadOnlyList<Segment>? Episode(TaskItem item, Actor writer, Func<MultiHopLookupMetadata, int, string> information)
    {
        if (item.Metadata is not MultiHopLookupMetadata meta) return null;
        var pieces = InformationBlock.Split(item.Solution);
        if (pieces.Length - 1 != meta.Hops.Count)
            throw new InvalidOperationException($"item {item.Id}: its gold trace has {pieces.Length - 1} information blocks for {meta.Hops.Count} hops");
        var segments = new List<Segment>();
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0) segments.Add(new Segment(writer, SearchAction.Information(information(meta, i - 1))));
            segments.Add(new Segment(Actor.Policy, pieces[i]));
        }
        return segments;
    }
}
