using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Models;

public class CausalLMTests
{
    private static Tensor Ids(params long[][] rows) =>
        tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length], dtype: ScalarType.Int64);

    private static Tensor Positions(long batch, long start, long count) =>
        arange(start, start + count, dtype: ScalarType.Int64).unsqueeze(0).expand(batch, -1);

    private static void AssertClose(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        var maxDiff = (expected - actual).abs().max().item<float>();
        Assert.True(allclose(expected, actual, rtol, atol), $"max |diff| = {maxDiff}");
    }

    [Fact]
    public void Parameter_names_follow_hf_checkpoint_keys()
    {
        using var llama = TestModels.Create(TestModels.Llama());
        var names = llama.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.1.self_attn.q_proj.weight", names);
        Assert.Contains("model.layers.0.mlp.down_proj.weight", names);
        Assert.Contains("model.layers.0.post_attention_layernorm.weight", names);
        Assert.Contains("model.norm.weight", names);
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.DoesNotContain(names, n => n.EndsWith(".bias", StringComparison.Ordinal));

        using var qwen = TestModels.Create(TestModels.Qwen2());
        var qwenNames = qwen.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("lm_head.weight", qwenNames);
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", qwenNames);
        Assert.Contains("model.layers.0.self_attn.v_proj.bias", qwenNames);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", qwenNames);
    }

    [Fact]
    public void Tiny_model_has_about_one_and_a_half_million_parameters()
    {
        using var model = TinyModelFactory.Create(seed: 1, vocabSize: 260);
        var count = model.parameters().Sum(p => p.numel());
        Assert.Equal(1_624_512, count);
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_different_seed_does_not()
    {
        using var a = TestModels.Create(TestModels.Llama(), seed: 3);
        using var b = TestModels.Create(TestModels.Llama(), seed: 3);
        using var c = TestModels.Create(TestModels.Llama(), seed: 4);
        var wa = a.named_parameters().First(p => p.name.EndsWith("q_proj.weight")).parameter;
        var wb = b.named_parameters().First(p => p.name.EndsWith("q_proj.weight")).parameter;
        var wc = c.named_parameters().First(p => p.name.EndsWith("q_proj.weight")).parameter;
        Assert.True(wa.eq(wb).all().item<bool>());
        Assert.False(wa.eq(wc).all().item<bool>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Incremental_decoding_with_kv_cache_matches_a_full_forward(bool qwen)
    {
        using var model = TestModels.Create(qwen ? TestModels.Qwen2() : TestModels.Llama());
        using var noGrad = no_grad();
        using var ids = Ids([5, 9, 2, 33, 17, 8, 40, 3], [4, 4, 12, 60, 1, 19, 22, 7]);
        using var full = model.forward(ids);                                                    // (2, 8, V)

        using var cache = model.CreateCache(2, 4);                                              // grows past 4
        var parts = new List<Tensor> { model.Forward(ids.narrow(1, 0, 3), Positions(2, 0, 3), cache) };
        for (long t = 3; t < 8; t++)
            parts.Add(model.Forward(ids.narrow(1, t, 1), Positions(2, t, 1), cache));
        using var incremental = cat(parts, dim: 1);
        Assert.Equal(8, cache.Length);
        AssertClose(full, incremental);
    }

    [Fact]
    public void Left_padded_batch_gives_each_sequence_the_logits_it_has_alone()
    {
        using var model = TestModels.Create(TestModels.Llama());
        using var noGrad = no_grad();
        long[] shortSeq = [7, 21, 3];
        long[] longSeq = [11, 5, 9, 30, 2, 44];
        using var aloneShort = model.forward(Ids(shortSeq));
        using var aloneLong = model.forward(Ids(longSeq));

        using var ids = Ids([0, 0, 0, .. shortSeq], longSeq);
        using var mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 6]);
        using var positions = tensor(new long[] { 0, 0, 0, 0, 1, 2, 0, 1, 2, 3, 4, 5 }, [2, 6]);
        using var batched = model.Forward(ids, positions, attentionMask: mask);
        AssertClose(aloneShort[0], batched[0].narrow(0, 3, 3));
        AssertClose(aloneLong[0], batched[1]);
        Assert.False(batched.isnan().any().item<bool>());
    }

    [Fact]
    public void Prefill_then_expand_matches_separate_runs_for_every_copy()
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        using var noGrad = no_grad();
        using var prompts = Ids([3, 8, 13, 21], [2, 7, 1, 8]);
        using var cache = model.CreateCache(2, 16);
        using var _ = model.Forward(prompts, Positions(2, 0, 4), cache);
        cache.Expand(3);
        Assert.Equal(6, cache.BatchSize);
        // Each copy continues with a different token.
        long[] next = [10, 11, 12, 40, 41, 42];
        using var stepLogits = model.Forward(tensor(next, [6, 1]), Positions(6, 4, 1), cache);   // (6, 1, V)
        for (var row = 0; row < 6; row++)
        {
            var prompt = row / 3 == 0 ? new long[] { 3, 8, 13, 21 } : [2, 7, 1, 8];
            using var alone = model.forward(Ids([.. prompt, next[row]]));
            AssertClose(alone[0, -1], stepLogits[row, 0]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Logits_match_an_independent_loop_by_loop_reference(bool qwen)
    {
        var config = qwen ? TestModels.Qwen2() : TestModels.Llama();
        using var model = TestModels.Create(config);
        using (no_grad())
        using (var generator = new TorchSharp.torch.Generator(5, CPU))
        {
            // Larger weights than the 0.02 init, so attention is far from uniform and errors cannot hide.
            foreach (var (name, p) in model.named_parameters())
                if (name.EndsWith("norm.weight")) p.uniform_(0.5, 1.5, generator);
                else if (name.EndsWith(".bias")) p.normal_(0, 0.5, generator);
                else p.mul_(8);
        }
        int[] ids = [5, 9, 2, 33, 17, 8];
        var expected = new ReferenceDecoder(model).Logits(ids);
        using var noGrad = no_grad();
        using var actual = model.forward(Ids(ids.Select(i => (long)i).ToArray()));
        for (var t = 0; t < ids.Length; t++)
            for (var v = 0; v < config.VocabSize; v++)
                Assert.Equal(expected[t][v], actual[0, t, v].item<float>(), 1e-4 * Math.Max(1, Math.Abs(expected[t][v])));
    }

    [Fact]
    public void Frozen_copy_keeps_the_weights_of_the_moment_it_was_taken()
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        using var ids = Ids([3, 1, 4, 1, 5]);
        using var copy = model.FrozenCopy();
        Assert.All(copy.parameters(), p => Assert.False(p.requires_grad));
        using (no_grad())
        {
            using var before = model.forward(ids);
            foreach (var p in model.parameters()) p.add_(0.01);
            using var fromCopy = copy.forward(ids);
            using var changed = model.forward(ids);
            Assert.True(before.eq(fromCopy).all().item<bool>());
            Assert.False(allclose(before, changed));
        }
    }

    [Fact]
    public void Reset_cache_is_reused_for_a_new_batch_without_stale_positions()
    {
        using var model = TestModels.Create(TestModels.Llama());
        using var noGrad = no_grad();
        using var cache = model.CreateCache(1, 16);
        using var first = model.Forward(Ids([1, 2, 3, 4, 5]), Positions(1, 0, 5), cache);
        cache.Reset();
        using var ids = Ids([9, 8, 7]);
        using var reused = model.Forward(ids, Positions(1, 0, 3), cache);
        using var fresh = model.forward(ids);
        Assert.Equal(3, cache.Length);
        Assert.Equal(16, cache.Capacity);
        AssertClose(fresh, reused);
    }

    [Fact]
    public void Rms_norm_of_a_constant_vector_is_its_scale()
    {
        using var norm = new RmsNorm(4, 1e-6, CPU, ScalarType.Float32);
        using var x = full(new long[] { 1, 4 }, 3.0f);
        using var y = norm.forward(x);
        AssertClose(ones(1, 4), y, 1e-5, 1e-5);
    }
}
