using HierReason.Core.Episodes;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Rollouts;

namespace HierReason.Training.Evaluation;

/// <summary>Samples k vanilla episodes per item on the local model, through the shared runner, and scores them (<see cref="SampledResult"/>).</summary>
public sealed class SampledEvaluator(CausalLM model, ITokenizer tokenizer, ChatTemplate template, int k = 8, double temperature = 1.0, int batchSize = 32, int maxNewTokens = 192)
{
    public SampledResult Evaluate(IReadOnlyList<TaskItem> items, Func<string?, TaskItem, double> score, long seed = 0)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        var policy = new LocalPolicy(model, tokenizer, template, new PolicySampling(temperature), template.StopIds(tokenizer));
        var runner = new EpisodeRunner(policy, EpisodeStrategy.Vanilla, new EpisodeLimits(maxNewTokens));
        var answers = new List<string?>(items.Count * k);
        // Whole groups per batch: each item's prompt is prefilled once and shared by its k samples.
        var perBatch = Math.Max(1, batchSize / k);
        for (var start = 0; start < items.Count; start += perBatch)
        {
            var batch = items.Skip(start).Take(perBatch).ToArray();
            var episodes = runner.RunAsync(batch, k, unchecked(seed * 1_000_003 + start)).GetAwaiter().GetResult();
            answers.AddRange(episodes.Select(e => e.Answer(AnswerSource.Policy)));
        }
        return SampledResult.Of(items, answers, k, temperature, score);
    }
}
