using System.Globalization;
using System.Text.Json.Nodes;
using HierReason.Core.Answers;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class MultiHopLookupTests
{
    private readonly MultiHopLookupTask _task = new();

    private IEnumerable<(TaskItem Item, MultiHopLookupMetadata Meta)> Items(Split split, long seed, int n, int level)
        => TaskDataset.Create(_task, split, seed, n, level: level).Select(i => (i, (MultiHopLookupMetadata)i.Metadata));

    private static Dictionary<string, int> EntitiesByName(MultiHopWorld world)
        => Enumerable.Range(0, world.EntityCount).ToDictionary(e => world.Name(e), e => e);

    [Fact]
    public void Same_seed_gives_the_same_items_and_the_same_corpus()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
        {
            var a = TaskDataset.Create(_task, Split.Train, 11, 30, level: level).Select(i => TaskItemJson.Serialize(i)).ToArray();
            var b = TaskDataset.Create(new MultiHopLookupTask(), Split.Train, 11, 30, level: level).Select(i => TaskItemJson.Serialize(i)).ToArray();
            Assert.Equal(a, b);
        }
        var first = MultiHopLookupTask.Corpus(Split.Test, 3);
        var second = MultiHopLookupTask.Corpus(Split.Test, 3);
        Assert.Equal(first, second);
        Assert.NotEqual(first, MultiHopLookupTask.Corpus(Split.Test, 4));
    }

    [Fact]
    public void The_default_world_has_one_document_per_entity_with_unique_ids_and_titles()
    {
        var corpus = MultiHopLookupTask.Corpus(Split.Train, 0);
        Assert.Equal(24 + 96 + 240 + 80 + 16, corpus.Count);
        Assert.Equal(corpus.Count, corpus.Select(d => d.Id).Distinct().Count());
        Assert.Equal(corpus.Count, corpus.Select(d => d.Title).Distinct().Count());
        Assert.All(corpus, d => Assert.Contains(d.Title, d.Contents));
        var sentences = corpus.Select(d => d.Contents.Count(c => c == '.')).ToArray();
        Assert.InRange(sentences.Min(), 2, 5);
        Assert.InRange(sentences.Max(), 2, 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    public void Worlds_of_different_splits_share_no_entity_name(long seed)
    {
        var train = MultiHopLookupTask.Corpus(Split.Train, seed).Select(d => d.Title).ToHashSet();
        foreach (var split in new[] { Split.Validation, Split.Test })
        {
            var other = MultiHopLookupTask.Corpus(split, seed).Select(d => d.Title).ToArray();
            Assert.Equal(456, other.Length);
            Assert.DoesNotContain(other, train.Contains);
        }
        // Not even a given name or surname recurs across splits.
        var trainWords = train.SelectMany(t => t.Split(' ')).ToHashSet();
        var testPeople = MultiHopLookupTask.Corpus(Split.Test, seed).Where(d => d.Id.StartsWith("person-", StringComparison.Ordinal));
        Assert.DoesNotContain(testPeople.SelectMany(d => d.Title.Split(' ')), trainWords.Contains);
    }

    [Fact]
    public void Surnames_recur_across_unrelated_people()
    {
        var people = MultiHopLookupTask.Corpus(Split.Train, 0).Where(d => d.Id.StartsWith("person-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(240, people.Length);
        var surnames = people.GroupBy(p => p.Title.Split(' ')[1]).ToArray();
        Assert.InRange(surnames.Length, 50, 60);
        Assert.True(surnames.Max(g => g.Count()) >= 3);
    }

    [Fact]
    public void The_hardest_level_adds_a_distractor_sentence_to_every_document_of_the_same_world()
    {
        var plain = MultiHopWorldSpec.Of((MultiHopLookupConfig)_task.Levels[3], Split.Train);
        var noisy = MultiHopWorldSpec.Of((MultiHopLookupConfig)_task.Levels[4], Split.Train);
        Assert.NotEqual(plain.Id, noisy.Id);
        var (a, b) = (MultiHopLookupTask.Corpus(plain), MultiHopLookupTask.Corpus(noisy));
        Assert.Equal(a.Select(d => (d.Id, d.Title)), b.Select(d => (d.Id, d.Title)));
        for (var i = 0; i < a.Count; i++)
            Assert.Equal(a[i].Contents.Count(c => c == '.') + 1, b[i].Contents.Count(c => c == '.'));
    }

    [Fact]
    public void Each_level_has_its_hop_count_and_kind()
    {
        int[] hops = [1, 2, 2, 3, 4];
        bool[] comparison = [false, false, true, false, false];
        for (var level = 0; level < hops.Length; level++)
            foreach (var (item, meta) in Items(Split.Train, 2, 100, level))
            {
                Assert.Equal(hops[level], meta.Hops.Count);
                Assert.Equal(comparison[level], meta.Comparison);
                Assert.Equal(meta.World.Id, meta.WorldId);
                Assert.Equal(level == 4 ? 2 : 1, meta.World.PassingMentions);
            }
    }

    [Fact]
    public void Every_hops_document_names_its_subject_and_its_object()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
            foreach (var (item, meta) in Items(Split.Validation, 5, 100, level))
            {
                var world = _task.World(meta.World);
                foreach (var hop in meta.Hops)
                {
                    var doc = world.DocumentById(hop.DocId);
                    Assert.NotNull(doc);
                    Assert.Equal(hop.Subject, doc.Title);
                    Assert.Contains(hop.Subject, doc.Contents);
                    Assert.Contains(hop.Object, doc.Contents);
                    Assert.Contains(hop.Subject, hop.Query);
                }
            }
    }

    [Fact]
    public void The_answer_follows_the_chain_through_the_world()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
            foreach (var (item, meta) in Items(Split.Test, 9, 150, level).Where(x => !x.Meta.Comparison))
            {
                var world = _task.World(meta.World);
                var byName = EntitiesByName(world);
                Assert.Contains(meta.Hops[0].Subject, item.Question);
                for (var i = 0; i < meta.Hops.Count; i++)
                {
                    var hop = meta.Hops[i];
                    var found = world.Follow(byName[hop.Subject], hop.Relation);
                    Assert.NotNull(found);
                    var expected = hop.Relation == LookupRelation.FoundedYear
                        ? found.Value.ToString(CultureInfo.InvariantCulture)
                        : world.Name(found.Value);
                    Assert.Equal(expected, hop.Object);
                    if (i > 0) Assert.Equal(meta.Hops[i - 1].Object, hop.Subject);
                }
                Assert.Equal(meta.Hops[^1].Object, item.Answer);
                // A chain never comes back to an entity it has passed.
                var visited = meta.Hops.Select(h => h.Subject).Append(item.Answer).ToArray();
                Assert.Equal(visited.Length, visited.Distinct().Count());
            }
    }

    [Fact]
    public void Two_hop_birth_country_question_reads_as_asked()
    {
        var item = Items(Split.Train, 0, 300, 1).First(x => x.Meta.Hops[0].Relation == LookupRelation.BornIn && x.Meta.Hops[1].Relation == LookupRelation.LocatedIn);
        Assert.Equal($"In which country was {item.Meta.Hops[0].Subject} born?", item.Item.Question);
        Assert.Equal(item.Meta.Hops[1].Object, item.Item.Answer);
    }

    [Fact]
    public void Comparison_answer_is_the_company_founded_earlier_or_later_by_the_years()
    {
        foreach (var level in new[] { 2 })
            foreach (var (item, meta) in Items(Split.Test, 4, 300, level))
            {
                Assert.True(meta.Comparison);
                var half = meta.Hops.Count / 2;
                var (a, b) = (meta.Hops[half - 1], meta.Hops[^1]);
                Assert.Equal(LookupRelation.FoundedYear, a.Relation);
                Assert.Equal(LookupRelation.FoundedYear, b.Relation);
                var (yearA, yearB) = (int.Parse(a.Object, CultureInfo.InvariantCulture), int.Parse(b.Object, CultureInfo.InvariantCulture));
                Assert.NotEqual(yearA, yearB);
                Assert.NotEqual(a.Subject, b.Subject);
                var earlier = item.Question.StartsWith("Which company was founded earlier, ", StringComparison.Ordinal);
                Assert.True(earlier || item.Question.StartsWith("Which company was founded later, ", StringComparison.Ordinal), item.Question);
                Assert.Equal((yearA < yearB) == earlier ? a.Subject : b.Subject, item.Answer);
                Assert.Equal($"Which company was founded {(earlier ? "earlier" : "later")}, {a.Subject} or {b.Subject}?", item.Question);
            }
    }

    [Fact]
    public void A_four_hop_comparison_compares_the_employers_of_two_people()
    {
        var config = (MultiHopLookupConfig)_task.ParseConfig(new JsonObject { ["hops"] = 4, ["comparison"] = true });
        for (var i = 0; i < 50; i++)
        {
            var item = _task.Generate(config, Split.Train, 1, i);
            var meta = (MultiHopLookupMetadata)item.Metadata;
            Assert.Equal([LookupRelation.Employer, LookupRelation.FoundedYear, LookupRelation.Employer, LookupRelation.FoundedYear], meta.Hops.Select(h => h.Relation));
            var (a, b) = (meta.Hops[1], meta.Hops[3]);
            var earlier = item.Question.Contains(" earlier, ", StringComparison.Ordinal);
            Assert.Equal((int.Parse(a.Object, CultureInfo.InvariantCulture) < int.Parse(b.Object, CultureInfo.InvariantCulture)) == earlier ? a.Subject : b.Subject, item.Answer);
            Assert.Contains($"the employer of {meta.Hops[0].Subject}", item.Question);
        }
    }

    [Fact]
    public void The_gold_trace_searches_each_hop_and_scores_one_through_the_scorer()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
            foreach (var (item, meta) in Items(Split.Train, 8, 100, level))
            {
                var world = _task.World(meta.World);
                var trace = item.Solution;
                Assert.Equal(1.0, _task.Score(AnswerExtractor.Extract(trace), item));
                Assert.True(AnswerExtractor.IsWellFormed(trace));
                var searches = trace.Split("<search>").Skip(1).Select(s => s[..s.IndexOf("</search>", StringComparison.Ordinal)]).ToArray();
                Assert.Equal(meta.Queries, searches);
                Assert.Equal(meta.Hops.Count, trace.Split("<information>").Length - 1);
                foreach (var hop in meta.Hops)
                    Assert.Contains($"<information>{world.DocumentById(hop.DocId)!.Passage(1)}</information>", trace);
                Assert.EndsWith($"<answer>{item.Answer}</answer>", trace);
            }
    }

    [Fact]
    public void Item_worlds_are_the_public_corpus()
    {
        var corpus = MultiHopLookupTask.Corpus(Split.Test, 0).ToDictionary(d => d.Id);
        foreach (var (_, meta) in Items(Split.Test, 0, 50, 3))
        {
            Assert.Equal(MultiHopLookupTask.Corpus(meta.World), _task.World(meta.World).Documents);
            Assert.StartsWith("test/0/", meta.WorldId);
            foreach (var hop in meta.Hops) Assert.Equal(hop.Subject, corpus[hop.DocId].Title);
            Assert.Equal(meta.Hops.Select(h => h.DocId).Distinct(), meta.GoldDocIds);
        }
    }

    [Fact]
    public void Answers_spread_so_a_constant_answer_scores_under_five_percent()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
        {
            var answers = Items(Split.Test, 0, 500, level).Select(x => x.Item.Answer).ToArray();
            var top = answers.GroupBy(a => a).Max(g => g.Count());
            Assert.True(top < 25, $"level {level}: the most common answer covers {top} of 500 items");
        }
    }

    [Theory]
    [InlineData("Ossa River", "the Ossa River", 1.0)]
    [InlineData("Ossa River", "  ossa   river. ", 1.0)]
    [InlineData("Ossa River", "\"Ossa River!\"", 1.0)]
    [InlineData("Varo Tessik", "VARO TESSIK", 1.0)]
    [InlineData("1901", "1901.", 1.0)]
    [InlineData("Ossa River", "Ossa", 0.0)]
    [InlineData("Ossa River", "Ossa Rivers", 0.0)]
    [InlineData("Varo Tessik", "Tessik", 0.0)]
    [InlineData("1901", "1902", 0.0)]
    [InlineData("1901", "in 1901", 0.0)]
    public void Scoring_is_exact_match_after_normalisation(string gold, string answer, double expected)
    {
        var item = TaskDataset.Create(_task, Split.Test, 0, 1).Single();
        var withGold = item with { Answer = gold };
        Assert.Equal(expected, _task.Score(answer, withGold));
    }

    [Fact]
    public void Normalisation_drops_case_punctuation_articles_and_extra_spaces()
    {
        Assert.Equal("ossa river", MultiHopLookupTask.NormalizeAnswer("  The Ossa-River! "));
        Assert.Equal("varo tessik", MultiHopLookupTask.NormalizeAnswer("a Varo, an Tessik"));
        Assert.Equal("", MultiHopLookupTask.NormalizeAnswer("The."));
    }

    [Fact]
    public void The_world_answer_of_another_item_scores_zero()
    {
        var items = TaskDataset.Create(_task, Split.Test, 3, 40, level: 1).ToArray();
        foreach (var item in items)
            foreach (var other in items.Where(o => o.Answer != item.Answer))
                Assert.Equal(0.0, _task.Score(other.Answer, item));
    }

    [Theory]
    [InlineData("rivers", 49, "$.rivers")]
    [InlineData("countries", 97, "$.countries")]
    [InlineData("hops", 5, "$.hops")]
    [InlineData("passing_mentions", 4, "$.passing_mentions")]
    [InlineData("people", 3, "$.people")]
    public void Config_out_of_range_names_the_field(string field, int value, string path)
    {
        var e = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { [field] = value }));
        Assert.Equal(path, e.JsonPath);
    }

    [Fact]
    public void A_comparison_with_an_odd_hop_count_is_rejected_with_the_reason()
    {
        var e = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["hops"] = 3, ["comparison"] = true }));
        Assert.Equal("$.hops", e.JsonPath);
        Assert.Contains("2 or 4 when comparison is true", e.Message);
    }

    [Fact]
    public void A_tiny_world_still_gives_valid_two_hop_items()
    {
        var config = (MultiHopLookupConfig)_task.ParseConfig(new JsonObject
        {
            ["countries"] = 2,
            ["cities"] = 4,
            ["people"] = 6,
            ["companies"] = 3,
            ["rivers"] = 1,
            ["hops"] = 2,
        });
        for (var i = 0; i < 20; i++)
        {
            var item = _task.Generate(config, Split.Train, 0, i);
            var meta = (MultiHopLookupMetadata)item.Metadata;
            Assert.Equal(2, meta.Hops.Count);
            Assert.Equal(16, MultiHopLookupTask.Corpus(meta.World).Count);
            Assert.Equal(1.0, _task.Score(AnswerExtractor.Extract(item.Solution), item));
        }
    }

    [Fact]
    public void Items_spread_over_many_worlds_each_answered_by_its_own_world_and_one_world_draws_nothing()
    {
        var many = (MultiHopLookupConfig)_task.ParseConfig(new JsonObject { ["worlds"] = 1000, ["world_seed"] = 5 });
        var items = Enumerable.Range(0, 40).Select(i => _task.Generate(many, Split.Train, 0, i)).ToArray();
        var worlds = items.Select(i => ((MultiHopLookupMetadata)i.Metadata).World).ToArray();

        // 40 draws from 1,000 worlds: nearly all different, seeds in [5, 1005), each item's gold trace true in its own world.
        Assert.True(worlds.Select(w => w.Seed).Distinct().Count() >= 35);
        Assert.All(worlds, w => Assert.InRange(w.Seed, 5, 1004));
        Assert.True(items.Select(i => ((MultiHopLookupMetadata)i.Metadata).WorldId).Distinct().Count() >= 35);
        Assert.All(items, item =>
        {
            var meta = (MultiHopLookupMetadata)item.Metadata;
            Assert.Equal(1.0, _task.Score(AnswerExtractor.Extract(item.Solution), item));
            var documents = MultiHopLookupTask.Corpus(meta.World).ToDictionary(d => d.Id);
            Assert.All(meta.Hops, h => Assert.Contains(h.Subject, documents[h.DocId].Contents));
        });

        // worlds 1 (the default) is the config as it always was: the same items as a config without the field.
        var one = (MultiHopLookupConfig)_task.ParseConfig(new JsonObject { ["worlds"] = 1, ["world_seed"] = 5 });
        var plain = (MultiHopLookupConfig)_task.ParseConfig(new JsonObject { ["world_seed"] = 5 });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => TaskItemJson.Serialize(_task.Generate(plain, Split.Test, 0, i))),
            Enumerable.Range(0, 10).Select(i => TaskItemJson.Serialize(_task.Generate(one, Split.Test, 0, i))));

        foreach (var bad in new[] { 0, -1, 10_001, int.MaxValue })
            Assert.Equal("$.worlds", Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["worlds"] = bad })).JsonPath);
    }
}
