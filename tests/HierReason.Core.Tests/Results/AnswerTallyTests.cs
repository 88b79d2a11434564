using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Core.Tests.Results;

public class AnswerTallyTests
{
    private static double Exact(string? answer, string gold) => answer == gold ? 1.0 : 0.0;

    private static AnswerTally Tally(string[] gold, string?[] given, Func<string?, string, double>? score = null) =>
        AnswerTally.Of(given, gold, g => g, score ?? Exact);

    [Fact]
    public void Diagnostics_count_answers_and_score_the_most_common_gold_answer_by_hand()
    {
        // Gold 3, 5, 3, 3: the constant answer "3" is right on 3 of 4 items. Given 3, 3, none, 4: three distinct answers
        // (no answer counts as one), the most common ("3") on 2 of 4; two distinct gold answers.
        var tally = Tally(["3", "5", "3", "3"], ["3", "3", null, "4"]);
        Assert.Equal((4, 3, 2), (tally.Items, tally.DistinctAnswers, tally.GoldDistinctAnswers));
        Assert.Equal(0.5, tally.TopAnswerShare, 12);
        Assert.Equal(0.75, tally.ConstantAnswerAccuracy, 12);
        Assert.Throws<ArgumentException>(() => Tally(["3"], ["3", "4"]));
    }

    [Fact]
    public void Missing_answers_are_one_answer_and_can_be_the_most_common()
    {
        var tally = Tally(["1", "2", "3"], [null, null, "1"]);
        Assert.Equal(2, tally.DistinctAnswers);
        Assert.Equal(2.0 / 3, tally.TopAnswerShare, 12);
    }

    [Fact]
    public void The_constant_answer_is_scored_by_the_verifier_so_other_spellings_count()
    {
        // A verifier that reads numbers: "3.0" is right where 3 is. Gold 3.0, 5, 3, 3: "3" (2 items) is the most common
        // gold string and also solves item 0, so the constant answer is right on 3 of 4, not 2.
        static double Numeric(string? answer, string gold) => double.TryParse(answer, out var a) && a == double.Parse(gold) ? 1 : 0;
        var tally = Tally(["3.0", "5", "3", "3"], ["3", "3", "3", "3"], Numeric);
        Assert.Equal(3, tally.GoldDistinctAnswers);
        Assert.Equal(0.75, tally.ConstantAnswerAccuracy, 12);
    }

    [Fact]
    public void A_tie_for_the_most_common_gold_answer_goes_to_the_one_that_came_first()
    {
        // Gold b, a, c once each; the verifier also takes "b" for c. First is b: right on b and c (2 of 3); a would give 1 of 3.
        static double Lenient(string? answer, string gold) => answer == gold || (answer == "b" && gold == "c") ? 1 : 0;
        Assert.Equal(2.0 / 3, Tally(["b", "a", "c"], ["x", "x", "x"], Lenient).ConstantAnswerAccuracy, 12);
        Assert.Equal(1.0 / 3, Tally(["a", "b", "c"], ["x", "x", "x"], Lenient).ConstantAnswerAccuracy, 12);
    }

    [Fact]
    public void Past_its_verifier_budget_a_rare_gold_answer_is_scored_only_on_its_own_items()
    {
        // Gold 3, 3, 3.0, 5 under a numeric verifier. With room for one full pass (4 calls) only the most common answer, 3,
        // is put to every item (right on 3); 3.0 and 5 are scored on their own items (1 each), so 3.0 misses the two 3s.
        static double Numeric(string? answer, string gold) => double.TryParse(answer, out var a) && a == double.Parse(gold) ? 1 : 0;
        var tight = AnswerTally.Of(["x", "x", "x", "x"], ["3", "3", "3.0", "5"], g => g, Numeric, maxVerifierCalls: 4);
        Assert.Equal([3.0, 1, 1], tight.Gold.Select(g => g.ConstantScore));
        Assert.Equal(0.75, tight.ConstantAnswerAccuracy, 12);
        var full = AnswerTally.Of(["x", "x", "x", "x"], ["3", "3", "3.0", "5"], g => g, Numeric);
        Assert.Equal([3.0, 3, 1], full.Gold.Select(g => g.ConstantScore));
        // The most common answer is put to every item even without any budget.
        Assert.Equal(3.0, AnswerTally.Of(["x", "x", "x", "x"], ["3", "3", "3.0", "5"], g => g, Numeric, maxVerifierCalls: 0).Gold[0].ConstantScore);
    }

    [Fact]
    public void Seeds_pool_over_the_union_of_their_items()
    {
        // Seed A: gold 1, 1, 2; given 1, 1, 1. Seed B: gold 2, 2, 3; given 1, 2, none.
        var a = Tally(["1", "1", "2"], ["1", "1", "1"]);
        var b = Tally(["2", "2", "3"], ["1", "2", null]);
        var pooled = a.Add(b);
        // Given: 1 ×4, 2 ×1, none ×1 → 3 distinct (1 is counted once, not once per seed), top share 4/6.
        Assert.Equal((6, 3), (pooled.Items, pooled.DistinctAnswers));
        Assert.Equal(4.0 / 6, pooled.TopAnswerShare, 12);
        // Gold: 1 ×2, 2 ×3, 3 ×1 → 3 distinct; the union's most common is 2, right on 3 of 6 items. Each seed's own mode
        // (1 for A, 2 for B) would be right on 2 of 3 in each: 4 of 6, an in-sample prior the union does not have.
        Assert.Equal(3, pooled.GoldDistinctAnswers);
        Assert.Equal(0.5, pooled.ConstantAnswerAccuracy, 12);
        Assert.Equal(2.0 / 3, a.ConstantAnswerAccuracy, 12);
        Assert.Equal(2.0 / 3, b.ConstantAnswerAccuracy, 12);
        // Adding is the tally of all the items at once, and nothing else.
        Assert.Equal(Tally(["1", "1", "2", "2", "2", "3"], ["1", "1", "1", "1", "2", null]), pooled);
        Assert.Equal(a, AnswerTally.Empty.Add(a));
    }

    [Fact]
    public void A_tally_reads_back_from_json_equal_and_without_its_derived_figures()
    {
        var tally = Tally(["3", "5", "3"], ["3", null, "4"]);
        var json = JsonSerializer.Serialize(tally, HierJson.Options);
        Assert.Equal("""{"given":{"3":1,"4":1},"missing":1,"gold":[{"answer":"3","items":2,"constant_score":2},{"answer":"5","items":1,"constant_score":1}]}""", json);
        Assert.Equal(tally, JsonSerializer.Deserialize<AnswerTally>(json, HierJson.Options));
        Assert.Equal((0, 0, 0.0, 0.0), (AnswerTally.Empty.DistinctAnswers, AnswerTally.Empty.GoldDistinctAnswers, AnswerTally.Empty.TopAnswerShare, AnswerTally.Empty.ConstantAnswerAccuracy));
    }
}
