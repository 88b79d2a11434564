using System.Text.Json.Nodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class LegCountingTests
{
    private readonly LegCountingTask _task = new();

    [Fact]
    public void Total_is_the_sum_of_count_times_legs()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 200))
        {
            var meta = (LegCountingMetadata)item.Metadata;
            var legs = LegCountingTask.Animals.ToDictionary(a => a.Singular, a => a.Legs);
            Assert.Equal(meta.Counts.Sum(c => (long)c.Count * legs[c.Animal]), meta.TotalLegs);
            Assert.All(meta.Counts, c => Assert.Equal(legs[c.Animal], c.Legs));
            Assert.Equal(meta.Counts.Count, meta.Counts.Select(c => c.Animal).Distinct().Count());
            Assert.Equal(meta.TotalLegs.ToString(), item.Answer);
            foreach (var (animal, n, _) in meta.Counts)
            {
                var a = LegCountingTask.Animals.Single(x => x.Singular == animal);
                Assert.Contains($"{n} {(n == 1 ? a.Singular : a.Plural)}", item.Question);
            }
        }
    }

    [Fact]
    public void Wrong_number_scores_zero_even_when_it_shares_digits()
    {
        var item = TaskDataset.Create(_task, Split.Test, 0, 50).First(i => i.Answer.Length >= 2);
        var gold = item.Answer;
        Assert.Equal(0.0, _task.Score(gold + "0", item));
        Assert.Equal(0.0, _task.Score(gold[..^1], item));
        Assert.Equal(0.0, _task.Score("-" + gold, item));
    }

    [Fact]
    public void Config_out_of_range_names_the_field()
    {
        var e = Assert.Throws<HierReason.Core.ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["min_animals"] = 5, ["max_animals"] = 2 }, "tasks/leg_counting.json", "$.config"));
        Assert.Equal("$.config.min_animals", e.JsonPath);
        var wrongType = Assert.Throws<HierReason.Core.ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["max_instances"] = "many" }, "f.json"));
        Assert.Equal("$.max_instances", wrongType.JsonPath);
        Assert.Contains("an integer", wrongType.Message);
    }
}
