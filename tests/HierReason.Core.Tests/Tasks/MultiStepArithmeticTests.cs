using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class MultiStepArithmeticTests
{
    private readonly MultiStepArithmeticTask _task = new();

    private static MultiStepArithmeticMetadata Meta(TaskItem item) => (MultiStepArithmeticMetadata)item.Metadata;

    /// <summary>Evaluates "a op b op c" with * and / before + and -, independently of the generator.</summary>
    private static long Evaluate(string expression)
    {
        var tokens = expression.Split(' ');
        var terms = new List<long> { long.Parse(tokens[0]) };
        var signs = new List<int> { 1 };
        for (var i = 1; i < tokens.Length; i += 2)
        {
            var y = long.Parse(tokens[i + 1]);
            switch (tokens[i])
            {
                case "*": terms[^1] *= y; break;
                case "/":
                    Assert.True(terms[^1] % y == 0, $"{expression} does not divide exactly");
                    terms[^1] /= y;
                    break;
                case "+": terms.Add(y); signs.Add(1); break;
                case "-": terms.Add(y); signs.Add(-1); break;
                default: throw new InvalidOperationException($"unknown operator in {expression}");
            }
        }
        return terms.Select((t, i) => t * signs[i]).Sum();
    }

    [Fact]
    public void Evaluator_in_this_test_respects_precedence()
    {
        Assert.Equal(19, Evaluate("4 + 3 * 5"));
        Assert.Equal(22, Evaluate("20 + 5 - 3"));
        Assert.Equal(11, Evaluate("3 * 5 - 4"));
        Assert.Equal(9, Evaluate("36 / 4"));
    }

    [Fact]
    public void Every_subproblem_answer_is_its_expression_and_every_number_comes_from_its_question()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 1000))
            foreach (var sub in Meta(item).Subproblems)
            {
                Assert.Equal(Evaluate(sub.Expression), sub.Answer);
                Assert.True(sub.Answer >= 0, $"{sub.Question} has a negative answer");
                var numbersInQuestion = Regex.Matches(sub.Question, @"\d+").Select(m => m.Value).ToList();
                var numbersInExpression = sub.Expression.Split(' ').Where((_, i) => i % 2 == 0).ToList();
                Assert.Equal(numbersInQuestion.Order(), numbersInExpression.Order());
            }
    }

    [Fact]
    public void Subproblems_combine_to_the_gold_answer()
    {
        var seen = new HashSet<CombineOperation>();
        foreach (var item in TaskDataset.Create(_task, Split.Test, 0, 1000))
        {
            var m = Meta(item);
            var answers = m.Subproblems.Select(s => s.Answer).ToList();
            var expected = m.Combine switch
            {
                CombineOperation.Sum => answers.Sum(),
                CombineOperation.Difference => Math.Abs(answers[0] - answers[1]),
                CombineOperation.Product => answers[0] * answers[1],
                _ => throw new InvalidOperationException(),
            };
            if (m.Combine != CombineOperation.Sum) Assert.Equal(2, answers.Count);
            if (m.Combine == CombineOperation.Difference) Assert.True(expected > 0);
            Assert.Equal(expected, m.Result);
            Assert.Equal(expected.ToString(), item.Answer);
            seen.Add(m.Combine);
        }
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void Subproblem_questions_are_self_contained_stories_taken_from_the_question()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Validation, 0, 500))
        {
            var m = Meta(item);
            Assert.InRange(m.Subproblems.Count, 2, 3);
            var names = m.Subproblems.Select(s => Regex.Match(s.Question, @"does (\w+) (have now|get)\?$").Groups[1].Value).ToList();
            Assert.All(names, n => Assert.NotEqual("", n));
            Assert.Equal(names.Count, names.Distinct().Count());
            for (var i = 0; i < m.Subproblems.Count; i++)
            {
                var q = m.Subproblems[i].Question;
                var story = q[..q.IndexOf(" How many ", StringComparison.Ordinal)];
                Assert.Contains(story, item.Question);
                // Only its own person: a worker needs nothing from the other stories.
                foreach (var other in names.Where((_, j) => j != i))
                    Assert.DoesNotContain(other, q);
            }
        }
    }

    [Fact]
    public void Stories_are_drawn_from_at_least_eight_shapes_of_arithmetic()
    {
        var shapes = TaskDataset.Create(_task, Split.Train, 1, 2000)
            .SelectMany(i => Meta(i).Subproblems)
            .Select(s => Regex.Replace(s.Expression, @"\d+", "n"))
            .ToHashSet();
        Assert.True(shapes.Count >= 8, string.Join(" | ", shapes));
        Assert.Contains("n / n", shapes);
        Assert.Contains("n + n * n", shapes);
    }

    [Fact]
    public void Trace_solves_each_subproblem_on_its_own_line_then_combines()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 2, 300))
        {
            var m = Meta(item);
            var lines = item.Solution.Split('\n');
            Assert.Equal(m.Subproblems.Count + 2, lines.Length);
            for (var i = 0; i < m.Subproblems.Count; i++)
                Assert.EndsWith($" = {m.Subproblems[i].Answer}", lines[i]);
            var op = m.Combine switch { CombineOperation.Sum => " + ", CombineOperation.Difference => " - ", _ => " * " };
            var combine = lines[^2];
            Assert.Contains(op, combine);
            Assert.EndsWith($" = {m.Result}", combine);
            Assert.Equal($"<answer>{m.Result}</answer>", lines[^1]);
        }
    }

    [Fact]
    public void Hand_checked_sum_of_two_stories()
    {
        var item = TaskDataset.Create(_task, Split.Train, 0, 2000).First(i =>
            Meta(i).Combine == CombineOperation.Sum && Meta(i).Subproblems.Count == 2
            && Regex.IsMatch(Meta(i).Subproblems[0].Expression, @"^\d+ \* \d+$")
            && Regex.IsMatch(Meta(i).Subproblems[1].Expression, @"^\d+ - \d+$"));
        var m = Meta(item);
        var product = m.Subproblems[0].Expression.Split(" * ").Select(long.Parse).Aggregate((a, b) => a * b);
        var difference = m.Subproblems[1].Expression.Split(" - ").Select(long.Parse).Aggregate((a, b) => a - b);
        Assert.Equal((product + difference).ToString(), item.Answer);
        Assert.EndsWith($"{product} + {difference} = {product + difference}\n<answer>{product + difference}</answer>", item.Solution);
        Assert.EndsWith("have together?", item.Question);
    }

    [Fact]
    public void Metadata_names_subproblems_and_combine_in_snake_case_json()
    {
        var item = TaskDataset.Create(_task, Split.Train, 0, 50).First(i => Meta(i).Combine == CombineOperation.Difference);
        var json = JsonNode.Parse(TaskItemJson.Serialize(item))!["metadata"]!;
        Assert.Equal("difference", json["combine"]!.GetValue<string>());
        var first = json["subproblems"]![0]!;
        Assert.Equal(Meta(item).Subproblems[0].Question, first["question"]!.GetValue<string>());
        Assert.Equal(Meta(item).Subproblems[0].Answer, first["answer"]!.GetValue<long>());
        Assert.NotNull(first["expression"]);
    }

    [Fact]
    public void Wrong_number_scores_zero_even_when_it_shares_digits()
    {
        var item = TaskDataset.Create(_task, Split.Test, 0, 50)
            .First(i => i.Answer.Length >= 2 && Meta(i).Subproblems[0].Answer.ToString() != i.Answer);
        var gold = item.Answer;
        Assert.Equal(1.0, _task.Score(long.Parse(gold).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), item));
        Assert.Equal(0.0, _task.Score(gold + "0", item));
        Assert.Equal(0.0, _task.Score(gold[..^1], item));
        Assert.Equal(0.0, _task.Score(Meta(item).Subproblems[0].Answer.ToString(), item));
    }

    [Fact]
    public void Config_out_of_range_names_the_field()
    {
        var tooMany = Assert.Throws<HierReason.Core.ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["max_subproblems"] = 6 }, "tasks/multi_step_arithmetic.json", "$.config"));
        Assert.Equal("$.config.max_subproblems", tooMany.JsonPath);
        var one = Assert.Throws<HierReason.Core.ConfigException>(() => _task.ParseConfig(new JsonObject { ["min_subproblems"] = 1 }));
        Assert.Equal("$.min_subproblems", one.JsonPath);
        var reversed = Assert.Throws<HierReason.Core.ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["min_value"] = 60, ["max_value"] = 50 }));
        Assert.Equal("$.min_value", reversed.JsonPath);
    }

    [Fact]
    public void Hardest_level_has_four_or_five_subproblems()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 100, level: _task.Levels.Count - 1))
            Assert.InRange(Meta(item).Subproblems.Count, 4, 5);
    }
}
