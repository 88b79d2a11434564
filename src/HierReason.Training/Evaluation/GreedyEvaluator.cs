using HierReason.Core.Answers;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Rollouts;

namespace HierReason.Training.Evaluation;

/// <summary>
/// Greedy-decodes a model's answers to task items in batches, extracts the <c>&lt;answer&gt;</c>, scores it with the
/// task's verifier and reports accuracy ± standard error and the format rate.
/// </summary>
public sealed class GreedyEvaluator(CausalLM model, ITokenizer tokenizer, ChatTemplate template, int batchSize = 16, int maxNewTokens = 256)
{
    /// <summary>Evaluates <paramref name="items"/>; <paramref name="score"/> is the task's (or mixture's) verifier.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<TaskItem> items, Func<string?, TaskItem, double> score) =>
        Score(items, Complete(items), score);

    /// <summary>The greedy completion text of each item (the end-of-turn token dropped), in item order: vanilla episodes through the shared runner.</summary>
    public IReadOnlyList<string> Complete(IReadOnlyList<TaskItem> items)
    {
        var policy = new LocalPolicy(model, tokenizer, template, new PolicySampling(Temperature: 0), template.StopIds(tokenizer));
        var runner = new EpisodeRunner(policy, EpisodeStrategy.Vanilla, new EpisodeLimits(maxNewTokens));
        var completions = new List<string>(items.Count);
        for (var start = 0; start < items.Count; start += batchSize)
        {
            var episodes = runner.RunAsync(items.Skip(start).Take(batchSize).ToArray(), 1, seed: null).GetAwaiter().GetResult();
            completions.AddRange(episodes.Select(e => e.CompletionText));
        }
        return completions;
    }

    /// <summary>The scoring half on its own: completions (from any source) against their items.</summary>
    public static EvaluationResult Score(IReadOnlyList<TaskItem> items, IReadOnlyList<string> completions, Func<string?, TaskItem, double> score)
    {
        if (items.Count != completions.Count) throw new ArgumentException($"{items.Count} items but {completions.Count} completions");
        var scores = new double[items.Count];
        var formed = new bool[items.Count];
        var answers = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            answers[i] = AnswerExtractor.Extract(completions[i]);
            scores[i] = score(answers[i], items[i]);
            formed[i] = AnswerExtractor.IsWellFormed(completions[i]);
        }
        return EvaluationResult.From(scores, formed, items.Select(i => i.Question).ToArray())
            .WithAnswers(answers, items, i => i.Answer, score);
    }
}
