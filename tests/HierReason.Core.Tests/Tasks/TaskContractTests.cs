using System.Text.Json;
using HierReason.Core.Answers;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

/// <summary>The promises every registered task keeps; a new task is checked here as soon as it is registered.</summary>
public class TaskContractTests
{
    public static TheoryData<string> TaskNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in TaskRegistry.Default.Names) data.Add(name);
        return data;
    }

    private static IReasoningTask Task(string name) => TaskRegistry.Default.Get(name);

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void Gold_answer_and_gold_trace_score_one_on_1000_items(string name)
    {
        var task = Task(name);
        foreach (var split in new[] { Split.Train, Split.Test })
        {
            var ds = TaskDataset.Create(task, split, seed: 7, size: 1000);
            foreach (var item in ds)
            {
                Assert.Equal(1.0, task.Score(item.Answer, item));
                var fromTrace = AnswerExtractor.Extract(item.Solution);
                Assert.NotNull(fromTrace);
                Assert.Equal(1.0, task.Score(fromTrace, item));
                Assert.True(AnswerExtractor.IsWellFormed(item.Solution), $"{item.Id}: trace is not well formed");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void Every_difficulty_level_validates_and_its_gold_answers_score_one(string name)
    {
        var task = Task(name);
        Assert.NotEmpty(task.Levels);
        for (var level = 0; level < task.Levels.Count; level++)
        {
            task.Levels[level].Validate();
            var ds = TaskDataset.Create(task, Split.Train, seed: 3, size: 100, level: level);
            foreach (var item in ds)
            {
                Assert.Equal(level, item.Metadata.Level);
                Assert.Equal(1.0, task.Score(item.Answer, item));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void Generation_is_deterministic_and_independent_of_dataset_size(string name)
    {
        var task = Task(name);
        var a = TaskDataset.Create(task, Split.Validation, seed: 42, size: 50);
        var b = TaskDataset.Create(task, Split.Validation, seed: 42, size: 200);
        for (var i = 0; i < a.Count; i++)
            Assert.Equal(TaskItemJson.Serialize(a[i]), TaskItemJson.Serialize(b[i]));
        var other = TaskDataset.Create(task, Split.Validation, seed: 43, size: 50);
        Assert.NotEqual(a.Select(i => i.Question), other.Select(i => i.Question));
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void Splits_share_no_question_over_10000_items_each(string name)
    {
        var task = Task(name);
        var seen = new Dictionary<string, Split>();
        foreach (var split in new[] { Split.Train, Split.Validation, Split.Test })
        {
            // Adjacent seeds per split, the case where reasoning-gym's datasets overlap almost entirely.
            foreach (var item in TaskDataset.Create(task, split, seed: (int)split + 1, size: 10_000))
            {
                if (seen.TryGetValue(item.Question, out var other))
                    Assert.True(other == split, $"{item.Question} is in both {other} and {split}");
                else
                    seen[item.Question] = split;
            }
        }
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void Garbage_answers_score_zero_and_never_throw(string name)
    {
        var task = Task(name);
        var garbage = new[]
        {
            null, "", " ", "\0", "<answer>", "NaN", "Infinity", "-", "+", "1e999999", "((((", "[[[]", "{\"a\":",
            "\u202e\ud800", new string('9', 10_000), new string('(', 5_000), "null", "true", "-0.0.0", "1,,000",
        };
        foreach (var item in TaskDataset.Create(task, Split.Test, seed: 1, size: 20))
            foreach (var g in garbage)
            {
                var s = task.Score(g, item);
                Assert.InRange(s, 0.0, 1.0);
                if (g != item.Answer) Assert.True(s < 1.0, $"{item.Id}: '{g}' scored {s}");
            }
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void An_item_survives_a_json_round_trip_and_scores_the_same(string name)
    {
        var task = Task(name);
        foreach (var item in TaskDataset.Create(task, Split.Train, seed: 5, size: 20))
        {
            var json = TaskItemJson.Serialize(item);
            using var doc = JsonDocument.Parse(json);
            var back = TaskItemJson.Deserialize(doc.RootElement, TaskRegistry.Default);
            Assert.Equal(json, TaskItemJson.Serialize(back));
            Assert.Equal(1.0, task.Score(back.Answer, back));
            Assert.Equal("train", back.Metadata.Source.Split);
        }
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void Default_config_validates_and_unknown_fields_are_rejected_by_path(string name)
    {
        var task = Task(name);
        task.DefaultConfig.Validate();
        var e = Assert.Throws<ConfigException>(() =>
            task.ParseConfig(new System.Text.Json.Nodes.JsonObject { ["no_such_field"] = 1 }, "tasks/x.json", "$.config"));
        Assert.Equal("$.config.no_such_field", e.JsonPath);
        Assert.Contains("tasks/x.json", e.Message);
    }
}
