using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// The answers a model gave to a set of items and the items' gold answers, counted so that the answer-collapse diagnostics
/// can be read off (<see cref="DistinctAnswers"/>, <see cref="TopAnswerShare"/>, <see cref="ConstantAnswerAccuracy"/>)
/// and so that tallies of disjoint sets of items add (<see cref="Add"/>: a benchmark cell pools its seeds over the union
/// of their items). A model whose accuracy is near the constant-answer accuracy while one answer dominates has learned the
/// answer distribution, not the task.
/// </summary>
/// <param name="Given">Each distinct extracted answer and how many items got it, in order of first appearance.</param>
/// <param name="Missing">Items without an extracted answer (they count as one more distinct "answer").</param>
/// <param name="Gold">Each distinct gold answer, in order of first appearance, with its count and what giving it to every
/// item would score.</param>
public sealed record AnswerTally(IReadOnlyDictionary<string, int> Given, int Missing, IReadOnlyList<GoldAnswer> Gold)
{
    [JsonIgnore]
    public static AnswerTally Empty { get; } = new(new Dictionary<string, int>(), 0, []);

    /// <summary>Items counted (each has one gold answer).</summary>
    [JsonIgnore]
    public int Items => Gold.Sum(g => g.Items);

    /// <summary>Distinct answers the model gave; no answer at all counts as one more.</summary>
    [JsonIgnore]
    public int DistinctAnswers => Given.Count + (Missing > 0 ? 1 : 0);

    /// <summary>Distinct gold answers among the items: what <see cref="DistinctAnswers"/> of a model that solves every item would be.</summary>
    [JsonIgnore]
    public int GoldDistinctAnswers => Gold.Count;

    /// <summary>The share of items that got the model's most common answer (no answer counts as an answer); 0 without items.</summary>
    [JsonIgnore]
    public double TopAnswerShare => Items == 0 ? 0 : Given.Values.Append(Missing).Max() / (double)Items;

    /// <summary>
    /// The accuracy of giving the most common gold answer to every item, scored by the task's verifier (so answers it accepts
    /// in other spellings count); a tie goes to the gold answer that came first. 0 without items.
    /// </summary>
    [JsonIgnore]
    public double ConstantAnswerAccuracy
    {
        get
        {
            if (Items == 0) return 0;
            var top = Gold[0];
            foreach (var g in Gold) if (g.Items > top.Items) top = g;
            return top.ConstantScore / Items;
        }
    }

    /// <summary>Verifier calls <see cref="Of"/> spends on scoring gold answers as constant answers, by default.</summary>
    public const long DefaultMaxVerifierCalls = 4_000_000;

    /// <summary>
    /// Tallies <paramref name="answers"/> (the model's extracted answer per item, null for none) against the items' gold
    /// answers. Each distinct gold answer, most common first, is scored by <paramref name="score"/> as the constant answer
    /// to every item (so that a union of tallies knows its constant-answer accuracy) while that stays within
    /// <paramref name="maxVerifierCalls"/> calls — distinct gold answers × items; the most common one always is — and past
    /// that only on its own items: then an answer the verifier also accepts elsewhere is undercounted, which matters only
    /// if such a rare answer becomes the most common one of a pooled cell.
    /// </summary>
    public static AnswerTally Of<TItem>(IReadOnlyList<string?> answers, IReadOnlyList<TItem> items, Func<TItem, string> gold, Func<string?, TItem, double> score,
        long maxVerifierCalls = DefaultMaxVerifierCalls)
    {
        if (answers.Count != items.Count) throw new ArgumentException($"{items.Count} items but {answers.Count} answers");
        var given = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = 0;
        foreach (var answer in answers)
        {
            if (answer is null) missing++;
            else given[answer] = given.GetValueOrDefault(answer) + 1;
        }
        // Groups keep the order of first appearance (ties of the constant answer go to the first); scoring goes by count.
        var groups = items.GroupBy(gold, StringComparer.Ordinal).ToList();
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var budget = maxVerifierCalls;
        foreach (var group in groups.OrderByDescending(g => g.Count()))
        {
            var everywhere = scores.Count == 0 || budget >= items.Count;
            scores[group.Key] = everywhere ? items.Sum(item => score(group.Key, item)) : group.Sum(item => score(group.Key, item));
            if (everywhere) budget -= items.Count;
        }
        return new AnswerTally(given, missing, groups.Select(g => new GoldAnswer(g.Key, g.Count(), scores[g.Key])).ToList());
    }

    /// <summary>
    /// The tally of both sets of items (taken as disjoint: seeds of a cell); answers first seen here keep their places. A
    /// gold answer of one set that is no gold answer of the other is taken to score nothing on the other's items (its
    /// items were never put to the verifier with it).
    /// </summary>
    public AnswerTally Add(AnswerTally other)
    {
        var given = new Dictionary<string, int>(Given, StringComparer.Ordinal);
        foreach (var (answer, count) in other.Given) given[answer] = given.GetValueOrDefault(answer) + count;
        var gold = Gold.ToList();
        var index = gold.Select((g, i) => (g.Answer, i)).ToDictionary(x => x.Answer, x => x.i, StringComparer.Ordinal);
        foreach (var g in other.Gold)
        {
            if (!index.TryGetValue(g.Answer, out var at))
            {
                index[g.Answer] = gold.Count;
                gold.Add(g);
            }
            else gold[at] = gold[at] with { Items = gold[at].Items + g.Items, ConstantScore = gold[at].ConstantScore + g.ConstantScore };
        }
        return new AnswerTally(given, Missing + other.Missing, gold);
    }

    // By value, so a result read back from its file equals the one written.
    public bool Equals(AnswerTally? other) =>
        other is not null && Missing == other.Missing && Gold.SequenceEqual(other.Gold)
        && Given.Count == other.Given.Count && Given.All(p => other.Given.TryGetValue(p.Key, out var c) && c == p.Value);

    public override int GetHashCode() => HashCode.Combine(Missing, Given.Count, Gold.Count);
}
