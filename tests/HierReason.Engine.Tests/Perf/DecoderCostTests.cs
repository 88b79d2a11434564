using HierReason.Engine.Perf;

namespace HierReason.Engine.Tests.Perf;

public class DecoderCostTests
{
    // Small enough to count by hand: q 4×4, k 4×2, v 4×2, o 4×4 = 48; MLP 3×4×8 = 96; norms 2×4 = 8 → 152 a layer.
    private static readonly DecoderShape Tiny = new(Vocab: 10, Hidden: 4, Intermediate: 8, Layers: 2, Heads: 2, KvHeads: 1, HeadDim: 2, Tied: true);

    private static readonly DecoderShape Qwen25HalfB = new(
        Vocab: 151936, Hidden: 896, Intermediate: 4864, Layers: 24, Heads: 14, KvHeads: 2, HeadDim: 64, Tied: true, QkvBias: true);

    [Fact]
    public void Tiny_shape_parameters_match_a_hand_count()
    {
        // 2 layers × 152 + embedding 10×4 + final norm 4.
        Assert.Equal(348, DecoderCost.Parameters(Tiny));
        Assert.Equal(388, DecoderCost.Parameters(Tiny with { Tied = false }));
        // q/k/v biases: 4 + 2 + 2 per layer.
        Assert.Equal(364, DecoderCost.Parameters(Tiny with { QkvBias = true }));
        // Matmul weights: 2 × (48 + 96) + lm_head 40.
        Assert.Equal(328, DecoderCost.MatmulParameters(Tiny));
    }

    [Fact]
    public void Tiny_shape_flops_match_a_hand_count()
    {
        // Decode, context 5, batch 3: 2×328×3 = 1968 matmul + 4×2 layers×2 heads×2 hd×5×3 = 480 attention.
        Assert.Equal(2448, DecoderCost.DecodeFlops(Tiny, contextLength: 5, batch: 3));
        // Prefill of 3 tokens: 2×328×3 = 1968, attention queries see 1+2+3 keys: 4×2×2×2×6 = 192.
        Assert.Equal(2160, DecoderCost.PrefillFlops(Tiny, tokens: 3));
        Assert.Equal(2 * 2160, DecoderCost.PrefillFlops(Tiny, tokens: 3, batch: 2));
    }

    [Fact]
    public void Forward_flops_count_every_computed_position_its_keys_and_only_the_projected_logits()
    {
        // 3 positions through 2 × (48 + 96) layer weights = 1728, lm_head on 1 of them: 2×40 = 80, 6 keys attended: 192.
        Assert.Equal(2000, DecoderCost.ForwardFlops(Tiny, positions: 3, attendedKeys: 6, logitPositions: 1));
        // A causal prefill projecting every position is exactly PrefillFlops; after 4 cached keys 2 queries see 5 + 6.
        Assert.Equal(DecoderCost.PrefillFlops(Tiny, tokens: 3), DecoderCost.ForwardFlops(Tiny, 3, DecoderCost.CausalKeys(3), 3));
        Assert.Equal(11, DecoderCost.CausalKeys(2, past: 4));
    }

    [Fact]
    public void Tiny_shape_decode_bytes_are_weights_once_plus_each_sequences_cache()
    {
        // KV: 2 (k and v) × 2 layers × 1 kv head × 2 hd × 5 positions × 3 sequences × 2 bytes = 240.
        Assert.Equal(240, DecoderCost.KvCacheBytes(Tiny, contextLength: 5, batch: 3));
        // Weights: 348 × 2 bytes = 696.
        Assert.Equal(936, DecoderCost.DecodeBytes(Tiny, contextLength: 5, batch: 3));
        // float32 weights and cache double both parts.
        Assert.Equal(1872, DecoderCost.DecodeBytes(Tiny, contextLength: 5, batch: 3, weightBytes: 4, kvBytes: 4));
    }

    [Fact]
    public void Untied_embedding_is_gathered_not_read_whole()
    {
        // 388 parameters, but only 3 of the 10 embedding rows (of 4) are read: 388 − 40 + 12 = 360 → 720 bytes.
        Assert.Equal(720 + 240, DecoderCost.DecodeBytes(Tiny with { Tied = false }, contextLength: 5, batch: 3));
    }

    [Fact]
    public void Qwen25_half_b_has_its_published_parameter_count()
    {
        Assert.Equal(494_032_768, DecoderCost.Parameters(Qwen25HalfB));
        Assert.Equal(494_005_120, DecoderCost.Parameters(Qwen25HalfB with { QkvBias = false }));
    }

    [Fact]
    public void Qwen25_half_b_decode_step_costs()
    {
        // 24 × (802,816 + 2×114,688 + 802,816 + 3×896×4864) + 151,936×896.
        Assert.Equal(493_961_216, DecoderCost.MatmulParameters(Qwen25HalfB));
        // 2 × 493,961,216 + 4 × 24 × 14 × 64 × 1024.
        Assert.Equal(1_076_002_816, DecoderCost.DecodeFlops(Qwen25HalfB, contextLength: 1024));
        // 2 × 24 × 2 × 64 × 1024 × 2 bytes: GQA keeps the cache small.
        Assert.Equal(12_582_912, DecoderCost.KvCacheBytes(Qwen25HalfB, contextLength: 1024));
        Assert.Equal(494_032_768 * 2.0 + 12_582_912, DecoderCost.DecodeBytes(Qwen25HalfB, contextLength: 1024));
    }

    [Fact]
    public void Roofline_takes_the_slower_of_compute_and_memory()
    {
        // 1e12 FLOP at 1e12 FLOP/s = 1 s; 5e9 bytes at 1e9 B/s = 5 s → memory bound.
        Assert.Equal(5.0, Roofline.Floor(1e12, 5e9, flopsPerSecond: 1e12, bytesPerSecond: 1e9));
        Assert.False(Roofline.IsComputeBound(1e12, 5e9, 1e12, 1e9));
        Assert.Equal(2.0, Roofline.Floor(2e12, 1e9, flopsPerSecond: 1e12, bytesPerSecond: 1e9));
        Assert.True(Roofline.IsComputeBound(2e12, 1e9, 1e12, 1e9));
    }

    [Fact]
    public void Roofline_uses_the_bfloat16_rate_only_when_it_was_measured()
    {
        var measured = new MachineBaseline("cpu", Float32FlopsPerSecond: 1e11, BFloat16FlopsPerSecond: 4e11, CopyBytesPerSecond: 1e10);
        Assert.Equal(10.0, Roofline.Floor(1e12, 1, measured));
        Assert.Equal(2.5, Roofline.Floor(1e12, 1, measured, bfloat16: true));
        var unmeasured = measured with { BFloat16FlopsPerSecond = null };
        Assert.Equal(10.0, Roofline.Floor(1e12, 1, unmeasured, bfloat16: true));
        Assert.Equal(3.0, Roofline.Floor(1, 3e10, measured));
    }

    [Fact]
    public void Decode_at_batch_one_is_memory_bound_on_a_typical_machine()
    {
        // One Qwen2.5-0.5B token needs ~1.08 GFLOP but ~1.0 GB of bf16 weights: at 1 TFLOP/s and 100 GB/s memory wins.
        var flops = DecoderCost.DecodeFlops(Qwen25HalfB, contextLength: 1024);
        var bytes = DecoderCost.DecodeBytes(Qwen25HalfB, contextLength: 1024);
        Assert.False(Roofline.IsComputeBound(flops, bytes, 1e12, 1e11));
        Assert.Equal(bytes / 1e11, Roofline.Floor(flops, bytes, 1e12, 1e11));
    }
}
