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
