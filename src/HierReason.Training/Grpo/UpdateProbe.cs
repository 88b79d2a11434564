using HierReason.Core.Episodes;
using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// <c>grpo.measure_update</c>: what one update did to the step's own completions — each completion's summed log-prob over
/// its policy tokens (at the rollout temperature, unrestricted) before and after, the change averaged by the sign of its
/// advantage. A first-order update raises the rewarded ones and lowers the penalised ones; an update that lowers both
/// has left the first-order regime (issue 18: one AdamW step at 3e-4 lowered even the rewarded completions by 4 nats).
/// </summary>
public static class UpdateProbe
{
    /// <summary>Each episode's summed log-prob over its policy tokens under <paramref name="model"/>, without gradients.</summary>
    public static double[] PolicyLogProbs(CausalLM model, IReadOnlyList<Episode> episodes, double temperature, int padTokenId)
    {
        using var noGrad = no_grad();
        var masks = CompletionMask.Build(episodes, maskTruncated: false);
        using var scores = CompletionScorer.Score(model, episodes.Select(e => (e.Prompt.TokenIds!, e.CompletionTokenIds)).ToArray(), temperature, padTokenId);
        var width = (int)scores.LogProbs.shape[1];
        var values = scores.LogProbs.data<float>().ToArray();
        var sums = new double[episodes.Count];
        for (var i = 0; i < episodes.Count; i++)
            for (var t = 0; t < Math.Min(width, masks.GetLength(1)); t++) sums[i] += values[i * width + t] * masks[i, t];
        return sums;
    }

    /// <summary>Mean change (after − before) over completions with a positive, and with a negative, advantage; null where there are none.</summary>
    public static (double? Rewarded, double? Penalised) Effect(IReadOnlyList<double> before, IReadOnlyList<double> after, IReadOnlyList<double> advantages)
    {
        double? Mean(Func<double, bool> side)
        {
            var changes = advantages.Select((a, i) => (a, d: after[i] - before[i])).Where(x => side(x.a)).Select(x => x.d).ToArray();
            return changes.Length == 0 ? null : changes.Average();
        }
        return (Mean(a => a > 0), Mean(a => a < 0));
    }
}
