using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Generation;

public class CompletionScorerTests
{
    private static readonly (IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)[] Pairs =
    [
        ([5, 9, 2, 33], [7, 7, 1]),
        ([17], [3, 4, 5, 6, 8]),
        ([40, 41], []),
    ];

    private static float[] AloneLogProbs(CausalLM model, IReadOnlyList<int> prompt, IReadOnlyList<int> completion, double temperature)
    {
        using var scope = NewDisposeScope();
        var all = prompt.Concat(completion).Select(x => (long)x).ToArray();
        var logits = model.forward(tensor(all, [1, all.Length]))[0];                              // (T, V)
        var logProbs = (logits / temperature).log_softmax(-1);
        return completion.Select((token, i) => logProbs[prompt.Count - 1 + i, token].item<float>()).ToArray();
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.6)]
    public void Batched_scores_equal_logprobs_gathered_from_each_pair_alone(double temperature)
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        using var noGrad = no_grad();
        using var scores = CompletionScorer.Score(model, Pairs, temperature);
        Assert.Equal(new long[] { 3, 5 }, scores.LogProbs.shape);
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 }, scores.Mask.reshape(-1).data<long>().ToArray());
        for (var b = 0; b < Pairs.Length; b++)
        {
            var expected = AloneLogProbs(model, Pairs[b].Prompt, Pairs[b].Completion, temperature);
            for (var t = 0; t < 5; t++)
                Assert.Equal(t < expected.Length ? expected[t] : 0f, scores.LogProbs[b, t].item<float>(), 1e-4);
        }
    }

    [Fact]
    public void Scores_carry_gradients_outside_no_grad()
    {
        using var model = TestModels.Create(TestModels.Llama());
        using var scores = CompletionScorer.Score(model, Pairs);
        using var loss = -(scores.LogProbs.sum());
        loss.backward();
        var grad = model.named_parameters().First(p => p.name == "model.layers.0.self_attn.q_proj.weight").parameter.grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
    }
}
