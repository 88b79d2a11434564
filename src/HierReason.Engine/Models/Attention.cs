using HierReason.Engine.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>Multi-head self-attention with grouped-query key/value heads and rotary positions (HF <c>self_attn</c>).</summary>
public sealed class Attention : nn.Module
{
    private readonly LoraLinear q_proj;
    private readonly LoraLinear k_proj;
    private readonly LoraLinear v_proj;
    private readonly LoraLinear o_proj;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    public Attention(ModelConfig config, Device device, ScalarType dtype) : base(nameof(Attention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        q_proj = new LoraLinear(config.HiddenSize, _heads * _headDim, config.QkvBias, device, dtype);
        k_proj = new LoraLinear(config.HiddenSize, _kvHeads * _headDim, config.QkvBias, device, dtype);
        v_proj = new LoraLinear(config.HiddenSize, _kvHeads * _headDim, config.QkvBias, device, dtype);
        o_proj = new LoraLinear(_heads * _headDim, config.HiddenSize, config.OutputBias, device, dtype);
        RegisterComponents();
    }

    /// <param name="x">(B, T, C) hidden states.</param>
    /// <param name="cos">(B, 1, T, hd) rotary cosines for these positions.</param>
    /// <param name="sin">(B, 1, T, hd) rotary sines.</param>
    /// <param name="mask">(B, 1, T, S) true where a query may attend to a key; null means plain causal over T.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.shape[0], x.shape[1]);
        var q = q_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);                // (B, nh, T, hd)
        var k = k_proj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);              // (B, kvh, T, hd)
        var v = v_proj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);              // (B, kvh, T, hd)
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(layer, k, v);                             // (B, kvh, S, hd)
        var y = mask is null ? CausalAttention(q, k, v) : GroupedAttention(q, k, v, mask);    // (B, nh, T, hd)
        y = y.transpose(1, 2).reshape(b, t, _heads * _headDim);                                // (B, T, nh*hd)
        return o_proj.forward(y).MoveToOuterDisposeScope();                                    // (B, T, C)
    }

    /// <summary>
    /// Masked attention with each KV head's query group folded into the query dimension, so K and V are read as they
    /// are cached instead of being copied once per query head (repeated K/V made masked SDPA at batch 64 hundreds of
    /// times slower than the folded form on CPU).
    /// </summary>
    private Tensor GroupedAttention(Tensor q, Tensor k, Tensor v, Tensor mask)
    {
        if (_kvHeads == _heads) return nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        var (b, t, s) = (q.shape[0], q.shape[2], k.shape[2]);
        var groups = _heads / _kvHeads;
        // Query heads kv·g … kv·g + g − 1 share KV head kv (HF's repeat_interleave order), so a view groups them.
        var folded = q.reshape(b, _kvHeads, groups * t, _headDim);                              // (B, kvh, g*T, hd)
        if (t == 1) return DecodeAttention(folded, k, v, mask).view(b, _heads, 1, _headDim);   // (B, nh, 1, hd)
        var groupMask = t == 1
            ? mask.expand(b, 1, groups, s)                                                     // (B, 1, g, S)
            : mask.unsqueeze(2).expand(b, 1, groups, t, s).reshape(b, 1, groups * t, s);       // (B, 1, g*T, S)
        var y = nn.functional.scaled_dot_product_attention(folded, k, v, attn_mask: groupMask);  // (B, kvh, g*T, hd)
        return y.view(b, _heads, t, _headDim);                                                 // (B, nh, T, hd)
    }

    /// <summary>
    /// One new position per sequence: two small matmuls and a float32 softmax, which on CPU beat SDPA's kernel
    /// (several times over in bfloat16) at this shape.
    /// </summary>
    /// <param name="q">(B, kvh, g, hd) the step's queries, grouped by KV head.</param>
    /// <param name="mask">(B, 1, 1, S) true where the key may be attended to.</param>
    private Tensor DecodeAttention(Tensor q, Tensor k, Tensor v, Tensor mask)
    {
        var scores = q.matmul(k.transpose(2, 3)).to(ScalarType.Float32);                      // (B, kvh, g, S)
        scores = scores.mul_(1.0 / Math.Sqrt(_headDim)).masked_fill_(mask.logical_not(), double.NegativeInfinity);
        var weights = scores.softmax(-1).to(v.dtype);                                          // (B, kvh, g, S)
        return weights.matmul(v);                                                              // (B, kvh, g, hd)
    }

    /// <summary>Plain causal attention over this call's positions (no cache, no padding): K/V heads expanded to every query head.</summary>
    private Tensor CausalAttention(Tensor q, Tensor k, Tensor v)
    {
        if (_kvHeads != _heads)
        {
            var (b, s) = (k.shape[0], k.shape[2]);
            var groups = _heads / _kvHeads;
            k = k.unsqueeze(2).expand(b, _kvHeads, groups, s, _headDim).reshape(b, _heads, s, _headDim);   // (B, nh, S, hd)
            v = v.unsqueeze(2).expand(b, _kvHeads, groups, s, _headDim).reshape(b, _heads, s, _headDim);   // (B, nh, S, hd)
        }
        return nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);           // (B, nh, T, hd)
    }
}
