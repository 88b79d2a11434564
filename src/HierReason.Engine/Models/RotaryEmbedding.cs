using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>
/// Rotary position embeddings in HF's rotate-half layout. The cos/sin tables (float32, on the positions' device) cover only
/// the positions used so far and grow on demand, so a model declaring a million positions costs nothing at load.
/// </summary>
public sealed class RotaryEmbedding : nn.Module
{
    // Below this many positions a table is rebuilt in one go; growth doubles so a long generation rebuilds it log(n) times.
    private const long MinimumTable = 256;

    private readonly float[] _inverseFrequencies;
    private readonly long _maxPositions;
    private Tensor? _cos;
    private Tensor? _sin;

    /// <param name="inverseFrequencies">θ^(−2i/hd) per rotated pair, possibly rescaled (<see cref="RopeScaling"/>).</param>
    /// <param name="maxPositions">The config's max_position_embeddings: the most positions a table may ever cover.</param>
    public RotaryEmbedding(float[] inverseFrequencies, long maxPositions) : base(nameof(RotaryEmbedding))
    {
        if (maxPositions < 1) throw new ArgumentOutOfRangeException(nameof(maxPositions));
        _inverseFrequencies = inverseFrequencies;
        _maxPositions = maxPositions;
    }

    public long MaxPositions => _maxPositions;

    /// <summary>Positions the cos/sin tables cover now (0 before the first forward).</summary>
    public long CachedPositions => _cos?.shape[0] ?? 0;

    /// <summary>cos and sin for each (sequence, position), each (B, 1, T, hd) in <paramref name="dtype"/>, ready to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) Forward(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var highest = positionIds.max().item<long>();
        if (highest >= _maxPositions)
            throw new EngineException($"position {highest} is beyond the model's max_position_embeddings {_maxPositions}");
        var (cosTable, sinTable) = Tables(highest + 1, positionIds.device);
        var flat = positionIds.reshape(-1);                                                  // (B*T)
        var shape = new[] { positionIds.shape[0], 1, positionIds.shape[1], cosTable.shape[1] };
        var cos = cosTable.index_select(0, flat).reshape(shape).to(dtype);                  // (B, 1, T, hd)
        var sin = sinTable.index_select(0, flat).reshape(shape).to(dtype);                  // (B, 1, T, hd)
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>Tables covering at least <paramref name="positions"/> positions on <paramref name="device"/>, rebuilt larger when needed.</summary>
    private (Tensor Cos, Tensor Sin) Tables(long positions, Device device)
    {
        if (_cos is not null && _sin is not null && _cos.shape[0] >= positions
            && _cos.device_type == device.type && _cos.device_index == device.index) return (_cos, _sin);
        var size = Math.Min(_maxPositions, Math.Max(positions, Math.Max(MinimumTable, 2 * CachedPositions)));
        using var scope = NewDisposeScope();
        // Every row depends only on its own position, so a rebuilt table holds exactly the rows the smaller one had.
        var invFreq = tensor(_inverseFrequencies, dtype: ScalarType.Float32, device: device);  // (hd/2)
        var steps = arange(size, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32);
        var freqs = outer(steps, invFreq);                                                    // (P, hd/2)
        var emb = cat([freqs, freqs], dim: -1);                                               // (P, hd)
        _cos?.Dispose();
        _sin?.Dispose();
        _cos = emb.cos().DetachFromDisposeScope();
        _sin = emb.sin().DetachFromDisposeScope();
        return (_cos, _sin);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cos?.Dispose();
            _sin?.Dispose();
            _cos = _sin = null;
        }
        base.Dispose(disposing);
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
