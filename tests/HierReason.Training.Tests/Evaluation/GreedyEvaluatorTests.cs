using HierReason.Training.Evaluation;
using HierReason.Training.Tests.Sft;

namespace HierReason.Training.Tests.Evaluation;

public class GreedyEvaluatorTests
{
    [Fact]
    public void Gold_solutions_score_accuracy_one_with_full_format()
    {
        var items = TinyRun.Items(20);
        var result = GreedyEvaluator.Score(items, items.Select(i => i.Solution).ToList(), HierReason.Core.Tasks.TaskRegistry.Default.Get("chain_sum").Score);
        Assert.Equal((20, 1.0, 0.0, 1.0), (result.N, result.Accuracy, result.StdErr, result.FormatRate));
        Assert.Equal(items.Select(i => i.Question).Distinct().Count(), result.Questions);
    }

    [Fact]
    public void Wrong_and_unformatted_answers_lower_accuracy_and_format_rate()
    {
        var items = TinyRun.Items(4);
        var task = HierReason.Core.Tasks.TaskRegistry.Default.Get("chain_sum");
        string[] completions = [items[0].Solution, "<answer>-99999</answer>", items[2].Answer, items[3].Solution];
        var result = GreedyEvaluator.Score(items, completions, task.Score);
        Assert.Equal(4, result.N);
        Assert.Equal(0.5, result.Accuracy, 12);
        Assert.Equal(0.75, result.FormatRate, 12);
    }

    [Fact]
    public void Standard_error_uses_the_sample_variance()
    {
        // Scores 1, 0, 1, 1: mean 0.75, sample variance (3 × 0.0625 + 0.5625) / 3 = 0.25, stderr √(0.25 / 4) = 0.25.
        var r = EvaluationResult.From([1, 0, 1, 1], [true, true, true, true]);
        Assert.Equal(0.75, r.Accuracy, 12);
        Assert.Equal(0.25, r.StdErr, 12);
    }

    [Fact]
    public void Standard_error_is_clustered_by_question_when_questions_repeat()
    {
        // q1 ×2 (1, 1), q2 (0), q3 (1): clustered variance 3/2 · 0.875 / 16 (see QuestionSumsTests); naive would be 0.25.
        var r = EvaluationResult.From([1, 0, 1, 1], [true, true, true, true], ["q1", "q2", "q1", "q3"]);
        Assert.Equal(0.75, r.Accuracy, 12);
        Assert.Equal(Math.Sqrt(0.08203125), r.StdErr, 12);
        Assert.Equal(3, r.Questions);
        Assert.EndsWith("(n = 4, 3 distinct questions)", r.ToString());
        Assert.EndsWith("(n = 4)", EvaluationResult.From([1, 0, 1, 1], [true, true, true, true]).ToString());
    }

    [Fact]
    public void Answer_diagnostics_count_answers_and_score_the_most_common_gold_answer()
    {
        // Gold 3, 5, 3, 3: the constant answer "3" is right on 3 of 4 items. Given 3, 3, none, 4: three distinct answers
        // (no answer counts as one), the most common ("3") on 2 of 4.
        string[] gold = ["3", "5", "3", "3"];
        string?[] given = ["3", "3", null, "4"];
        var r = EvaluationResult.From([1, 0, 0, 0], [true, true, false, true])
            .WithAnswers(given, gold, g => g, (a, g) => a == g ? 1 : 0);
        Assert.Equal((3, 0.5, 0.75, 2), (r.DistinctAnswers, r.TopAnswerShare, r.ConstantAnswerAccuracy, r.GoldDistinctAnswers));
        Assert.EndsWith("; 3 distinct answers, the most common 50 %; constant-answer accuracy 75.0 %", r.ToString());
        var json = System.Text.Json.JsonSerializer.Serialize(r);
        Assert.Contains("\"constant_answer_accuracy\":0.75", json);
        Assert.DoesNotContain("distinct_answers", System.Text.Json.JsonSerializer.Serialize(EvaluationResult.From([1], [true])));
        Assert.Throws<ArgumentException>(() => r.WithAnswers(["3"], gold, g => g, (a, g) => 0));
    }

    [Fact]
    public void A_model_that_gives_one_answer_to_everything_is_flagged_by_the_scorer()
    {
        var items = TinyRun.Items(20);
        var task = HierReason.Core.Tasks.TaskRegistry.Default.Get("chain_sum");
        var result = GreedyEvaluator.Score(items, items.Select(_ => "<answer>0</answer>").ToList(), task.Score);
        Assert.Equal((1, 1.0), (result.DistinctAnswers, result.TopAnswerShare));
        // The constant-answer accuracy is the share of items the split's most common gold answer solves.
        var common = items.GroupBy(i => i.Answer).OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal(items.Average(i => task.Score(common, i)), result.ConstantAnswerAccuracy!.Value, 12);
        Assert.True(result.ConstantAnswerAccuracy > 0);
    }

    [Fact]
    public void Greedy_decoding_of_a_model_gives_one_completion_per_item()
    {
        using var model = TinyRun.Model();
        var items = TinyRun.Items(3);
        var evaluator = new GreedyEvaluator(model, TinyRun.Tokenizer, TinyRun.Template, batchSize: 2, maxNewTokens: 4);
        var completions = evaluator.Complete(items);
        Assert.Equal(3, completions.Count);
        // Greedy is deterministic.
        Assert.Equal(completions, evaluator.Complete(items));
        Assert.Equal(3, evaluator.Evaluate(items, (_, _) => 0).N);
    }
}
