using HierReason.Core.Episodes;
using HierReason.Core.Taxonomies;

namespace HierReason.Harness.Thinking;

/// <summary>
/// A taxonomy row's episodes summed up: how much they think, how they end, which thought types they use overall and in
/// correct against incorrect episodes (the seed's heatmap), and how far the chooser's choices are from the uniform chooser's.
/// </summary>
/// <param name="Episodes">Sample lines read (every sample of every item).</param>
/// <param name="CorrectEpisodes">Of them, those that scored full marks.</param>
/// <param name="MeanThoughts">Thoughts per episode (the final answer not counted).</param>
/// <param name="ForcedFinishRate">Share of episodes that reached max_steps, so Finish was forced.</param>
/// <param name="ExplicitFinishRate">Share of episodes that end by the chooser choosing Finish.</param>
/// <param name="ChoiceParseFailureRate">Share of choices that named no option (the first option was used).</param>
/// <param name="Types">Share of each thought type among all thoughts, in taxonomy order (every type of the level, used or not).</param>
/// <param name="TypesCorrect">The same among the thoughts of correct episodes.</param>
/// <param name="TypesIncorrect">The same among the thoughts of incorrect episodes.</param>
/// <param name="Choices">The empirical choice distribution: each type and Finish, as shares of all choices.</param>
/// <param name="OptionCount">K, the options a choice is made among: the level's labels plus Finish.</param>
/// <param name="OptionCountSource"><see cref="FromOptions"/> (K read off the row's taxonomy and level) or <see cref="FromSeen"/> (the distinct choices seen).</param>
/// <param name="KlToUniform">KL(p̂ ‖ uniform over K) = ln K − H(p̂), in nats: 0 for a chooser that picks every option equally often, ln K for one that always picks the same.</param>
public sealed record TaxonomyEpisodes(
    int Episodes,
    int CorrectEpisodes,
    double MeanThoughts,
    double ForcedFinishRate,
    double ExplicitFinishRate,
    double ChoiceParseFailureRate,
    IReadOnlyList<TypeShare> Types,
    IReadOnlyList<TypeShare> TypesCorrect,
    IReadOnlyList<TypeShare> TypesIncorrect,
    IReadOnlyList<TypeShare> Choices,
    int OptionCount,
    string OptionCountSource,
    double KlToUniform)
{
    public const string FromOptions = "strategy options";
    public const string FromSeen = "options seen";

    /// <summary>
    /// The summary of <paramref name="episodes"/>; <paramref name="levelTypes"/> are the chooser's options but Finish, in
    /// taxonomy order, when the row's options name a taxonomy that can be loaded (else null: K is the distinct choices seen).
    /// </summary>
    public static TaxonomyEpisodes Of(IReadOnlyList<TaxonomyEpisode> episodes, IReadOnlyList<ThoughtType>? levelTypes)
    {
        // Columns: the level's types in taxonomy order, then any type seen that the level does not list, as first seen.
        var columns = (levelTypes ?? []).Select(t => (t.Id, t.Label)).ToList();
        foreach (var thought in episodes.SelectMany(e => e.Thoughts))
            if (!columns.Any(c => c.Id == thought.Id)) columns.Add(thought);
        IReadOnlyList<TypeShare> Shares(IEnumerable<TaxonomyEpisode> some) => TypeShare.Of(columns, some.SelectMany(e => e.Thoughts.Select(t => t.Id)));

        var choices = episodes.SelectMany(e => e.Choices).ToList();
        var choiceShares = TypeShare.Of([.. columns, (TaxonomyNotes.FinishId, Taxonomy.FinishLabel)], choices);
        var seen = choiceShares.Count(s => s.Count > 0);
        var (k, source) = levelTypes is null ? (seen, FromSeen) : (Math.Max(levelTypes.Count + 1, seen), FromOptions);
        double Rate(Func<TaxonomyEpisode, bool> which) => episodes.Count == 0 ? 0 : (double)episodes.Count(which) / episodes.Count;
        return new TaxonomyEpisodes(
            episodes.Count,
            episodes.Count(e => e.Correct),
            episodes.Count == 0 ? 0 : episodes.Average(e => e.Thoughts.Count),
            Rate(e => e.ForcedFinish),
            Rate(e => e.ExplicitFinish),
            choices.Count == 0 ? 0 : episodes.Sum(e => e.ChoiceParseFailures) / choices.Count,
            Shares(episodes),
            Shares(episodes.Where(e => e.Correct)),
            Shares(episodes.Where(e => !e.Correct)),
            choiceShares,
            k,
            source,
            Kl(choiceShares.Select(s => s.Count).ToList(), k));
    }

    /// <summary>KL(p̂ ‖ uniform over <paramref name="k"/> options) of the counts' distribution, ln K − H(p̂) in nats; 0 without counts.</summary>
    public static double Kl(IReadOnlyList<int> counts, int k)
    {
        var total = counts.Sum();
        if (total == 0 || k <= 0) return 0;
        if (counts.Count(c => c > 0) > k) throw new ArgumentException($"{counts.Count(c => c > 0)} options chosen out of K = {k}", nameof(k));
        var entropy = counts.Where(c => c > 0).Select(c => (double)c / total).Sum(p => -p * Math.Log(p));
        return Math.Log(k) - entropy;
    }
}

/// <summary>One thought type (or Finish) in a distribution: how often it occurs and its share of all occurrences (0 when there are none).</summary>
public sealed record TypeShare(string Id, string Label, int Count, double Share)
{
    /// <summary>The shares of <paramref name="ids"/> over <paramref name="columns"/>, in that order; ids outside them are not counted.</summary>
    public static IReadOnlyList<TypeShare> Of(IReadOnlyList<(string Id, string Label)> columns, IEnumerable<string> ids)
    {
        var counts = ids.GroupBy(id => id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var total = columns.Sum(c => counts.GetValueOrDefault(c.Id));
        return columns.Select(c =>
        {
            var n = counts.GetValueOrDefault(c.Id);
            return new TypeShare(c.Id, c.Label, n, total == 0 ? 0 : (double)n / total);
        }).ToList();
    }
}
