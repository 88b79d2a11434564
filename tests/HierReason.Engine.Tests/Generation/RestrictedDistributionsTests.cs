using HierReason.Engine.Checkpoints;
using HierReason.Engine.Generation;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Generation;

/// <summary>The whole restricted distribution at each restricted position, and the full categorical KL between two of them.</summary>
public sealed class RestrictedDistributionsTests
{
    [Fact]
    public void Each_restricted_position_holds_a_distribution_over_its_allowed_ids_whose_entry_for_the_token_is_its_log_prob()
    {
        using var model = TinyModelFactory.Create(seed: 4, vocabSize: 64);
        // Pair 0: position 1 restricted to {7, 9, 11}; pair 1: positions 0 and 2 restricted to {5, 6} and {20, 21, 22, 23}.
        IReadOnlyList<IReadOnlyList<RestrictedSpan>> spans = [[new RestrictedSpan(1, 1, [7, 9, 11])], [new RestrictedSpan(0, 1, [5, 6]), new RestrictedSpan(2, 1, [20, 21, 22, 23])]];
        using var scores = CompletionScorer.Score(model, [([1, 2, 3], [4, 9, 8]), ([1, 2], [6, 3, 22])], restricted: spans);
        var d = scores.Restricted!;
        Assert.Equal(new long[] { 3, 4 }, d.LogProbs.shape);
        var valid = d.Valid.data<float>().ToArray();
        Assert.Equal(new float[] { 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1 }, valid);
        var probs = (d.LogProbs.exp() * d.Valid).sum(-1).data<float>().ToArray();
        Assert.All(probs, p => Assert.Equal(1.0, p, 5));
        // The chosen token's column equals the restricted log-prob the scorer placed at its position.
        var logProbs = scores.LogProbs;
        Assert.Equal(logProbs[0, 1].item<float>(), d.LogProbs[0, 1].item<float>(), 5);   // 9 is the 2nd allowed id
        Assert.Equal(logProbs[1, 0].item<float>(), d.LogProbs[1, 1].item<float>(), 5);   // 6 is the 2nd of {5, 6}
        Assert.Equal(logProbs[1, 2].item<float>(), d.LogProbs[2, 2].item<float>(), 5);   // 22 is the 3rd of {20, …, 23}
        Assert.Equal(new float[] { 1, 1, 1 }, d.Live.data<float>().ToArray());
    }

    [Fact]
    public void The_mean_kl_is_zero_against_itself_and_matches_a_hand_computed_value()
    {
        var valid = tensor(new float[] { 1, 1, 1, 1, 0, 0 }, [2, 3]);
        var p = tensor(new float[] { (float)Math.Log(0.5), (float)Math.Log(0.25), (float)Math.Log(0.25), 0, 0, 0 }, [2, 3]);
        var q = tensor(new float[] { (float)Math.Log(0.25), (float)Math.Log(0.5), (float)Math.Log(0.25), 0, 0, 0 }, [2, 3]);
        using var anchor = new RestrictedDistributions(p, valid, tensor(new float[] { 1, 1 }));
        using var current = new RestrictedDistributions(q, valid.clone(), tensor(new float[] { 1, 1 }));
        Assert.Equal(0.0, anchor.MeanKlFrom(anchor).item<float>(), 6);
        // Row 0: 0.5 ln 2 + 0.25 ln 0.5 + 0 = 0.25 ln 2; row 1 (one allowed id): 0. Mean over live rows: 0.125 ln 2.
        Assert.Equal(0.125 * Math.Log(2), current.MeanKlFrom(anchor).item<float>(), 5);
        // A position that is not a real completion token does not count.
        using var half = new RestrictedDistributions(q.clone(), valid.clone(), tensor(new float[] { 1, 0 }));
        Assert.Equal(0.25 * Math.Log(2), half.MeanKlFrom(anchor).item<float>(), 5);
    }
}
