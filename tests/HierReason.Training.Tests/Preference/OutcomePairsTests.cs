using HierReason.Training.Preference;

namespace HierReason.Training.Tests.Preference;

public class OutcomePairsTests
{
    private static readonly (string, bool)[] Samples = [("c1", true), ("w1", false), ("c2", true), ("w2", false), ("c3", true), ("c1", true)];

    [Fact]
    public void Every_correct_solution_is_paired_with_every_incorrect_one_duplicates_once()
    {
        var pairs = OutcomePairs.Build("q", Samples);
        Assert.Equal(3 * 2, pairs.Count);
        Assert.Equal(6, pairs.Select(p => (p.Chosen, p.Rejected)).Distinct().Count());
        Assert.All(pairs, p => Assert.StartsWith("c", p.Chosen));
        Assert.All(pairs, p => Assert.StartsWith("w", p.Rejected));
    }

    [Fact]
    public void A_cap_spreads_over_several_correct_solutions()
    {
        var pairs = OutcomePairs.Build("q", Samples, maxPerItem: 3);
        Assert.Equal([("c1", "w1"), ("c1", "w2"), ("c2", "w1")], pairs.Select(p => (p.Chosen, p.Rejected)));
    }

    [Fact]
    public void An_item_without_an_incorrect_solution_gives_no_pairs()
    {
        Assert.Empty(OutcomePairs.Build("q", [("c1", true), ("c2", true)]));
    }
}
