using HierReason.Core.Episodes;
using HierReason.Core.Results;

namespace HierReason.Harness.Thinking;

/// <summary>
/// One taxonomy episode read back from its sample line: every segment that carries a thought type
/// (<see cref="TaxonomyNotes.TypeKey"/>) answers one of the chooser's choices — a thought of that type, or
/// <see cref="TaxonomyNotes.FinishId"/> for an explicit Finish. A forced finish is the last thought's segment marked
/// <see cref="TaxonomyNotes.ForcedFinish"/> = "1": its type was chosen, Finish was not.
/// </summary>
/// <param name="Correct">The sample scored full marks (≥ 1 − 1e-9), as <see cref="PairedComparison"/> counts a right answer.</param>
/// <param name="Thoughts">The thoughts' types (id, label), in order; the final answer's Finish is not a thought.</param>
/// <param name="Choices">The chooser's choices, in order: each thought's type id, then <see cref="TaxonomyNotes.FinishId"/> when Finish was chosen.</param>
/// <param name="ChoiceParseFailures">Choices that named no option (<see cref="TaxonomyNotes.ChoiceParseFailed"/>, summed over the episode).</param>
public sealed record TaxonomyEpisode(
    bool Correct,
    IReadOnlyList<(string Id, string Label)> Thoughts,
    IReadOnlyList<string> Choices,
    bool ForcedFinish,
    bool ExplicitFinish,
    double ChoiceParseFailures)
{
    /// <summary>The episode of a sample line; a line without typed segments (a failed episode) has no thoughts and no choices.</summary>
    public static TaxonomyEpisode Of(SampleRecord line)
    {
        var typed = (line.Segments ?? []).Where(s => s.Metadata?.ContainsKey(TaxonomyNotes.TypeKey) == true).ToList();
        var ids = TaxonomyNotes.Types(typed.Select(s => s.Metadata));
        var thoughts = typed.Where(s => s.Metadata![TaxonomyNotes.TypeKey] != TaxonomyNotes.FinishId)
            .Select(s => (s.Metadata![TaxonomyNotes.TypeKey], s.Metadata.GetValueOrDefault(TaxonomyNotes.LabelKey) ?? s.Metadata[TaxonomyNotes.TypeKey]))
            .ToList();
        var last = typed.Count == 0 ? null : typed[^1].Metadata;
        var forced = last?.GetValueOrDefault(TaxonomyNotes.ForcedFinish) == "1";
        var explicitFinish = !forced && last?.GetValueOrDefault(TaxonomyNotes.TypeKey) == TaxonomyNotes.FinishId;
        return new TaxonomyEpisode(line.Score >= 1 - 1e-9, thoughts, ids, forced, explicitFinish,
            line.Stats?.GetValueOrDefault(TaxonomyNotes.ChoiceParseFailed) ?? 0);
    }
}
