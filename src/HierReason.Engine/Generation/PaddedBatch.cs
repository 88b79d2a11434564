using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>Token sequences of different lengths as one left- or right-padded batch: ids, 1/0 mask and per-sequence positions, each (B, T) int64.</summary>
public sealed class PaddedBatch : IDisposable
{
    private PaddedBatch(Tensor ids, Tensor mask, Tensor positions, int[] lengths, int width)
    {
        Ids = ids;
        Mask = mask;
        Positions = positions;
        Lengths = lengths;
        Width = width;
    }

    public Tensor Ids { get; }
    public Tensor Mask { get; }
    public Tensor Positions { get; }
    public IReadOnlyList<int> Lengths { get; }
    public int Width { get; }

    /// <summary>Pads on the left, so every sequence ends at the last column (what prefill needs); positions count real tokens only.</summary>
    public static PaddedBatch LeftPadded(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, Device device) =>
        Build(sequences, padId, device, left: true);

    /// <summary>Pads on the right, so every sequence starts at column 0.</summary>
    public static PaddedBatch RightPadded(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, Device device) =>
        Build(sequences, padId, device, left: false);

    private static PaddedBatch Build(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, Device device, bool left)
    {
        if (sequences.Count == 0) throw new ArgumentException("no sequences to batch", nameof(sequences));
        var width = sequences.Max(s => s.Count);
        var ids = new long[sequences.Count * width];
        var mask = new long[ids.Length];
        var positions = new long[ids.Length];
        for (var b = 0; b < sequences.Count; b++)
        {
            var seq = sequences[b];
            var offset = left ? width - seq.Count : 0;
            for (var j = 0; j < width; j++)
            {
                var k = j - offset;
                var real = k >= 0 && k < seq.Count;
                ids[b * width + j] = real ? seq[k] : padId;
                mask[b * width + j] = real ? 1 : 0;
                positions[b * width + j] = Math.Max(0, k);
            }
        }
        long[] shape = [sequences.Count, width];
        return new PaddedBatch(
            tensor(ids, shape, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope(),
            tensor(mask, shape, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope(),
            tensor(positions, shape, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope(),
            sequences.Select(s => s.Count).ToArray(),
            width);
    }

    public void Dispose()
    {
        Ids.Dispose();
        Mask.Dispose();
        Positions.Dispose();
    }
}
