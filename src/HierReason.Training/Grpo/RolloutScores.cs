using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Training.Rewards;

namespace HierReason.Training.Grpo;

/// <summary>
/// The rewards of a batch of finished episodes: each episode's weighted total, every reward's unweighted component, and
/// its correctness (the correctness reward's value, or the task's verifier on the answer when correctness is not weighted).
/// </summary>
public sealed record RolloutScores(double[] Totals, IReadOnlyDictionary<string, double[]> Components, double[] Correct)
{
    /// <summary>Scores each episode with its task's weighted rewards, reading answers from <paramref name="answers"/>.</summary>
    public static RolloutScores Of(
        IReadOnlyList<Episode> episodes,
        IReadOnlyDictionary<string, IReasoningTask> tasks,
        IReadOnlyDictionary<string, WeightedRewards> rewards,
        int maxTokens,
        AnswerSource answers)
    {
        var totals = new double[episodes.Count];
        var correct = new double[episodes.Count];
        var components = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var i = 0; i < episodes.Count; i++)
        {
            var episode = episodes[i];
            var item = episode.Item ?? throw new InvalidOperationException("a GRPO episode must know its task item");
            var task = tasks[item.Task];
            var ctx = new RewardContext(episode, task, maxTokens, answers);
            var breakdown = rewards[item.Task].Score(ctx);
            totals[i] = breakdown.Total;
            foreach (var (name, value) in breakdown.Components)
            {
                if (!components.TryGetValue(name, out var column)) components[name] = column = new double[episodes.Count];
                column[i] = value;
            }
            correct[i] = breakdown.Components.TryGetValue("correctness", out var c) ? c : task.Score(ctx.Answer, item);
        }
        return new RolloutScores(totals, components, correct);
    }

    /// <summary>These scores followed by <paramref name="more"/>'s (a refilled batch).</summary>
    public RolloutScores Concat(RolloutScores more)
    {
        var names = Components.Keys.Union(more.Components.Keys, StringComparer.Ordinal);
        return new RolloutScores(
            [.. Totals, .. more.Totals],
            names.ToDictionary(n => n, n => (double[])[.. Column(this, n), .. Column(more, n)], StringComparer.Ordinal),
            [.. Correct, .. more.Correct]);

        static double[] Column(RolloutScores s, string name) => s.Components.TryGetValue(name, out var c) ? c : new double[s.Totals.Length];
    }
}
