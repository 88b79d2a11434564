using static TorchSharp.torch;

namespace HierReason.Engine.Prm;

/// <summary>
/// Several <see cref="StepSequence"/>s as one forward pass: ids right-padded to the longest, and the flat (row, position) list of
/// every kept step's label token, in sequence then step order (what <see cref="ProcessRewardModel.StepLogits"/> takes).
/// </summary>
public sealed class StepBatch : IDisposable
{
    private StepBatch(Tensor inputIds, Tensor rows, Tensor positions, int[] stepCounts)
    {
        InputIds = inputIds;
        Rows = rows;
        Positions = positions;
        StepCounts = stepCounts;
    }

    /// <summary>(B, T) int64.</summary>
    public Tensor InputIds { get; }

    /// <summary>(N) int64 sequence index of each labelled step.</summary>
    public Tensor Rows { get; }

    /// <summary>(N) int64 token index of each labelled step.</summary>
    public Tensor Positions { get; }

    /// <summary>Kept steps per sequence; they sum to N.</summary>
    public IReadOnlyList<int> StepCounts { get; }

    public static StepBatch Collate(IReadOnlyList<StepSequence> sequences, int padId, Device device)
    {
        if (sequences.Count == 0) throw new ArgumentException("an empty batch", nameof(sequences));
        var width = sequences.Max(s => s.Ids.Length);
        var ids = new long[sequences.Count * width];
        Array.Fill(ids, padId);
        var rows = new List<long>();
        var positions = new List<long>();
        for (var b = 0; b < sequences.Count; b++)
        {
            for (var t = 0; t < sequences[b].Ids.Length; t++) ids[b * width + t] = sequences[b].Ids[t];
            foreach (var p in sequences[b].LabelPositions)
            {
                rows.Add(b);
                positions.Add(p);
            }
        }
        return new StepBatch(
            tensor(ids, [sequences.Count, width], dtype: ScalarType.Int64, device: device),
            tensor(rows.ToArray(), dtype: ScalarType.Int64, device: device),
            tensor(positions.ToArray(), dtype: ScalarType.Int64, device: device),
            sequences.Select(s => s.LabelPositions.Length).ToArray());
    }

    public void Dispose()
    {
        InputIds.Dispose();
        Rows.Dispose();
        Positions.Dispose();
    }
}
