using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class TaskMixtureTests
{
    private static readonly IReasoningTask Legs = TaskRegistry.Default.Get("leg_counting");

    // Two components told apart by the level they stamp on their items.
    private static MixtureEntry[] Entries(double easyWeight, double hardWeight) =>
    [
        new(Legs, Legs.Levels[0], easyWeight, Level: 0),
        new(Legs, Legs.Levels[^1], hardWeight, Level: Legs.Levels.Count - 1),
    ];

    [Fact]
    public void Items_follow_the_weights_over_10000_items()
    {
        var mixture = new TaskMixture(Entries(3, 1), Split.Train, seed: 5, size: 10_000);
        var easy = 0;
        for (var i = 0; i < mixture.Count; i++)
            if (mixture.EntryIndex(i) == 0) easy++;
        // Binomial(10000, 0.75) has a standard deviation of about 43; allow about 4.5 of them.
        Assert.InRange(easy, 7_300, 7_700);
    }

    [Fact]
    public void Each_item_comes_from_the_entry_its_index_picks_and_scores_with_that_task()
    {
        var mixture = new TaskMixture(Entries(1, 1), Split.Validation, seed: 2, size: 300);
        var levels = new HashSet<int?>();
        for (var i = 0; i < mixture.Count; i++)
        {
            var item = mixture[i];
            var entry = mixture.Entries[mixture.EntryIndex(i)];
            Assert.Equal(entry.Level, item.Metadata.Level);
            Assert.Equal(TaskItemJson.Serialize(Legs.Generate(entry.Config, Split.Validation, 2, i, entry.Level)), TaskItemJson.Serialize(item));
            Assert.Equal(1.0, mixture.Score(item.Answer, item));
            levels.Add(item.Metadata.Level);
        }
        Assert.Equal(2, levels.Count);
    }

    [Fact]
    public void The_same_seed_gives_the_same_items_and_another_seed_other_picks()
    {
        var a = new TaskMixture(Entries(1, 1), Split.Train, seed: 11, size: 200);
        var b = new TaskMixture(Entries(1, 1), Split.Train, seed: 11, size: 200);
        var c = new TaskMixture(Entries(1, 1), Split.Train, seed: 12, size: 200);
        Assert.Equal(a.Select(i => TaskItemJson.Serialize(i)), b.Select(i => TaskItemJson.Serialize(i)));
        Assert.NotEqual(Enumerable.Range(0, 200).Select(i => a.EntryIndex(i)), Enumerable.Range(0, 200).Select(i => c.EntryIndex(i)));
    }

    [Fact]
    public void Train_and_test_mixtures_share_no_question()
    {
        var train = new TaskMixture(Entries(1, 2), Split.Train, seed: 1, size: 3_000).Select(i => i.Question).ToHashSet();
        var test = new TaskMixture(Entries(1, 2), Split.Test, seed: 2, size: 3_000);
        Assert.DoesNotContain(test, i => train.Contains(i.Question));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_weight_that_is_not_positive_and_finite_is_rejected(double weight)
    {
        var e = Assert.Throws<HierReasonException>(() => new TaskMixture(Entries(1, weight), Split.Train, 0, 10));
        Assert.Contains("leg_counting", e.Message);
    }

    [Fact]
    public void An_empty_mixture_is_rejected()
        => Assert.Throws<HierReasonException>(() => new TaskMixture([], Split.Train, 0, 10));
}
