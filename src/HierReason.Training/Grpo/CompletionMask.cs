using HierReason.Core.Episodes;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// The (B, T) loss mask of a batch of episodes, aligned with right-padded completions: 1 on policy tokens, 0 on
/// environment tokens and padding (nothing follows an EOS), and all 0 for a truncated episode when
/// mask_truncated_completions is on.
/// </summary>
public static class CompletionMask
{
    public static float[,] Build(IReadOnlyList<Episode> episodes, bool maskTruncated)
    {
        var width = Math.Max(1, episodes.Count == 0 ? 1 : episodes.Max(e => e.CompletionTokenIds.Count));
        var mask = new float[episodes.Count, width];
        for (var b = 0; b < episodes.Count; b++)
        {
            if (maskTruncated && episodes[b].Truncated) continue;
            var row = episodes[b].CompletionLossMask;
            for (var t = 0; t < row.Count; t++) mask[b, t] = row[t];
        }
        return mask;
    }

    public static Tensor ToTensor(IReadOnlyList<Episode> episodes, bool maskTruncated, Device device) =>
        tensor(Build(episodes, maskTruncated), dtype: ScalarType.Float32, device: device);
}
