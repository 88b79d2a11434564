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
    public void A_short_completion_after_a_long_prompt_in_a_batch_with_a_long_completion_scores_as_alone()
    {
        // Max positions 128. Row 0: a 20-token prompt and a 100-token completion sets the batch width; row 1's 100-token
        // prompt and 3-token completion fit (103), but its padding runs to positions 100 + 99 = 199: the rotary table
        // refused the whole batch (seen in GRPO on multi-turn search episodes, whose prompts differ in length).
        using var model = TestModels.Create(TestModels.Qwen2());
        using var noGrad = no_grad();
        (IReadOnlyList<int>, IReadOnlyList<int>)[] pairs =
        [
            (Enumerable.Range(0, 20).Select(i => i % 50 + 1).ToArray(), Enumerable.Range(0, 100).Select(i => i * 7 % 50 + 1).ToArray()),
            (Enumerable.Range(0, 100).Select(i => i * 3 % 50 + 1).ToArray(), [4, 8, 15]),
        ];

        using var scores = CompletionScorer.Score(model, pairs, 1.0);

        for (var b = 0; b < pairs.Length; b++)
        {
            var expected = AloneLogProbs(model, pairs[b].Item1, pairs[b].Item2, 1.0);
            for (var t = 0; t < expected.Length; t++)
                Assert.Equal(expected[t], scores.LogProbs[b, t].item<float>(), 1e-4);
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

    // Two groups sharing prompts (as GRPO's G completions do), interleaved with a prompt seen once; one empty completion.
    private static readonly (IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)[] Grouped =
    [
        ([5, 9, 2, 33], [7, 7, 1]),
        ([17, 4], [3, 4, 5, 6, 8]),
        ([5, 9, 2, 33], [8]),
        ([5, 9, 2, 33], [9, 10, 11, 12, 13, 14]),
        ([17, 4], []),
        ([21, 22, 23, 24, 25, 26, 27], [2, 3]),
        ([17, 4], [30, 31]),
    ];

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.6)]
    public void Shared_prompts_score_as_each_pair_alone(double temperature)
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        using var noGrad = no_grad();
        using var scores = CompletionScorer.Score(model, Grouped, temperature);
        Assert.Equal(new long[] { Grouped.Length, 6 }, scores.LogProbs.shape);
        for (var b = 0; b < Grouped.Length; b++)
        {
            var expected = AloneLogProbs(model, Grouped[b].Prompt, Grouped[b].Completion, temperature);
            for (var t = 0; t < 6; t++)
            {
                Assert.Equal(t < expected.Length ? 1L : 0L, scores.Mask[b, t].item<long>());
                Assert.Equal(t < expected.Length ? expected[t] : 0f, scores.LogProbs[b, t].item<float>(), 1e-4);
            }
        }
    }

    [Fact]
    public void Shared_prompts_give_the_gradients_of_scoring_each_pair_alone()
    {
        using var model = TestModels.Create(TestModels.Llama());
        var weights = Enumerable.Range(0, Grouped.Length).Select(i => (float)(i % 3 - 1) + 0.25f * i).ToArray();

        Dictionary<string, float[]> Gradients(Func<Tensor> loss)
        {
            model.zero_grad();
            using (var scope = NewDisposeScope()) loss().backward();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.reshape(-1).data<float>().ToArray());
        }

        var shared = Gradients(() =>
        {
            var scores = CompletionScorer.Score(model, Grouped);
            return (scores.LogProbs * tensor(weights).unsqueeze(1)).sum();
        });
        var alone = Gradients(() => Grouped.Select((pair, i) => CompletionScorer.Score(model, [pair]).LogProbs.sum() * weights[i])
            .Aggregate((a, b) => a + b));

        Assert.Contains("model.layers.0.self_attn.k_proj.weight", shared.Keys);
        foreach (var (name, expected) in alone)
        {
            var actual = shared[name];
            var scale = Math.Max(1e-3, expected.Max(Math.Abs));
            Assert.True(expected.Max(Math.Abs) > 0, $"{name}: no gradient at all");
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * scale + 1e-6, $"{name}[{i}]: shared {actual[i]} vs alone {expected[i]}");
        }
    }

    [Fact]
    public void A_prefix_run_once_and_read_by_several_micro_batches_gives_the_gradients_of_one_batch()
    {
        using var model = TestModels.Create(TestModels.Llama());
        var weights = Enumerable.Range(0, Grouped.Length).Select(i => (float)(i % 3 - 1) + 0.25f * i).ToArray();
        var unique = Grouped.Select(p => p.Prompt).Distinct(TokenSequenceComparer.Instance).ToList();
        var promptOf = Grouped.Select(p => (long)unique.FindIndex(u => u.SequenceEqual(p.Prompt))).ToArray();

        Dictionary<string, float[]> Gradients(Action backward)
        {
            model.zero_grad();
            using (var scope = NewDisposeScope()) backward();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.reshape(-1).data<float>().ToArray());
        }

        var whole = Gradients(() => (CompletionScorer.Score(model, Grouped).LogProbs * tensor(weights).unsqueeze(1)).sum().backward());
        // Rows in an order of their own, two micro-batches, each backward only as far as the prefix's leaves.
        int[][] chunks = [[3, 0, 6, 2], [1, 5, 4]];
        var split = Gradients(() =>
        {
            using var prefix = PromptPrefix.Run(model, unique, 0);
            using var leaves = prefix.Detach();
            foreach (var chunk in chunks)
            {
                using var scores = CompletionScorer.Score(model, leaves, chunk.Select(r => promptOf[r]).ToArray(), chunk.Select(r => Grouped[r].Completion).ToArray());
                (scores.LogProbs * tensor(chunk.Select(r => weights[r]).ToArray()).unsqueeze(1)).sum().backward();
            }
            prefix.Backward(leaves);
        });

        foreach (var (name, expected) in whole)
        {
            Assert.True(expected.Max(Math.Abs) > 0, $"{name}: no gradient at all");
            var worst = expected.Zip(split[name], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-6, $"{name}: max |Δgrad| = {worst:E3}");
        }
    }

    // Three prompts that share a 9-token start (left for one row, then gathered), two completions each.
    private static readonly (IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)[] SharedStart =
    [
        ([40, 41, 42, 43, 44, 45, 46, 47, 48, 5, 9], [7, 7, 1]),
        ([40, 41, 42, 43, 44, 45, 46, 47, 48, 17], [3, 4, 5, 6, 8]),
        ([40, 41, 42, 43, 44, 45, 46, 47, 48, 5, 9], [8]),
        ([40, 41, 42, 43, 44, 45, 46, 47, 48, 21, 22, 23, 24], [2, 3]),
        ([40, 41, 42, 43, 44, 45, 46, 47, 48, 17], []),
        ([40, 41, 42, 43, 44, 45, 46, 47, 48, 21, 22, 23, 24], [30, 31, 32]),
    ];

    [Fact]
    public void Prompts_sharing_a_start_score_and_backpropagate_as_each_pair_alone()
    {
        using var model = TestModels.Create(TestModels.Llama());
        var weights = Enumerable.Range(0, SharedStart.Length).Select(i => 0.5f * i - 1f).ToArray();
        Dictionary<string, float[]> Gradients(Func<Tensor> loss)
        {
            model.zero_grad();
            using (var scope = NewDisposeScope()) loss().backward();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.reshape(-1).data<float>().ToArray());
        }

        using (var noGrad = no_grad())
        using (var scores = CompletionScorer.Score(model, SharedStart))
            for (var b = 0; b < SharedStart.Length; b++)
            {
                var expected = AloneLogProbs(model, SharedStart[b].Prompt, SharedStart[b].Completion, 1.0);
                for (var t = 0; t < expected.Length; t++) Assert.Equal(expected[t], scores.LogProbs[b, t].item<float>(), 1e-4);
            }
        var shared = Gradients(() => (CompletionScorer.Score(model, SharedStart).LogProbs * tensor(weights).unsqueeze(1)).sum());
        var alone = Gradients(() => SharedStart.Select((pair, i) => CompletionScorer.Score(model, [pair]).LogProbs.sum() * weights[i]).Aggregate((a, b) => a + b));
        foreach (var (name, expected) in alone)
        {
            var scale = Math.Max(1e-3, expected.Max(Math.Abs));
            Assert.True(expected.Max(Math.Abs) > 0, $"{name}: no gradient at all");
            var worst = expected.Zip(shared[name], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4 * scale + 1e-6, $"{name}: shared differs from alone by {worst}");
        }
        Assert.Equal(9 + 3 * 4, PromptPrefill.Work(HierReason.Engine.Perf.DecoderShape.Of(model.Config), SharedStart.Select(p => p.Prompt).Distinct(TokenSequenceComparer.Instance).ToArray()).Positions);
    }
}
