using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>Rotary position embeddings in HF's rotate-half layout, with cos/sin tables computed once in float32 on the model's device.</summary>
public sealed class RotaryEmbedding : nn.Module
{
    private readonly Tensor cos_cached;
    private readonly Tensor sin_cached;
    private readonly long _maxPositions;

    /// <param name="inverseFrequencies">θ^(−2i/hd) per rotated pair, possibly rescaled (<see cref="RopeScaling"/>).</param>
    public RotaryEmbedding(float[] inverseFrequencies, long maxPositions, Device device) : base(nameof(RotaryEmbedding))
    {
        using var scope = NewDisposeScope();
        var invFreq = tensor(inverseFrequencies, dtype: ScalarType.Float32, device: device);   // (hd/2)
        var positions = arange(maxPositions, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32);
        var freqs = outer(positions, invFreq);                                               // (P, hd/2)
        var emb = cat([freqs, freqs], dim: -1);                                              // (P, hd)
        cos_cached = emb.cos().DetachFromDisposeScope();
        sin_cached = emb.sin().DetachFromDisposeScope();
        _maxPositions = maxPositions;
        register_buffer(nameof(cos_cached), cos_cached, persistent: false);
        register_buffer(nameof(sin_cached), sin_cached, persistent: false);
    }

    public long MaxPositions => _maxPositions;

    /// <summary>cos and sin for each (sequence, position), each (B, 1, T, hd) in <paramref name="dtype"/>, ready to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) Forward(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var flat = positionIds.reshape(-1);                                                  // (B*T)
        var shape = new[] { positionIds.shape[0], 1, positionIds.shape[1], cos_cached.shape[1] };
        var cos = cos_cached.index_select(0, flat).reshape(shape).to(dtype);                // (B, 1, T, hd)
        var sin = sin_cached.index_select(0, flat).reshape(shape).to(dtype);                // (B, 1, T, hd)
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>Rotates query or key heads: x·cos + rotate_half(x)·sin.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);                                                      // (B, h, T, hd/2)
        var x2 = x.narrow(-1, half, half);                                                   // (B, h, T, hd/2)
        var rotated = cat([-x2, x1], dim: -1);                                               // (B, h, T, hd)
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
