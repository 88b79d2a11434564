using static TorchSharp.torch;

namespace HierReason.Training.Sft;

/// <summary>
/// Right-padded next-token batch: <see cref="Inputs"/> predict <see cref="Targets"/> (the same ids shifted by one);
/// <see cref="LossMask"/> is 1 only where the target is a learned completion token, so prompt, other actors' segments
/// and padding carry no loss.
/// </summary>
public sealed class SftBatch : IDisposable
{
    private SftBatch(Tensor inputs, Tensor targets, Tensor lossMask, long tokens, long lossTokens, int sharedPrefix, IReadOnlyList<SftRowGroup> groups)
    {
        Groups = groups;
        LossTokenCount = lossTokens;
        Inputs = inputs;
        Targets = targets;
        LossMask = lossMask;
        TokenCount = tokens;
        SharedPrefix = sharedPrefix;
    }

    public Tensor Inputs { get; }     // (B, T-1) int64
    public Tensor Targets { get; }    // (B, T-1) int64
    public Tensor LossMask { get; }   // (B, T-1) float32
    /// <summary>Real (non-padding) tokens in the batch, for throughput.</summary>
    public long TokenCount { get; }
    /// <summary>Targets that carry loss (learned completion tokens).</summary>
    public long LossTokenCount { get; }
    /// <summary>
    /// Leading input positions identical in every row and all inside the prompts (no loss on them): the chat header and
    /// task instruction every item starts with. <see cref="SftForward"/> runs them once for the whole batch.
    /// </summary>
    public int SharedPrefix { get; }
    /// <summary>
    /// Rows that share more than <see cref="SharedPrefix"/> (one task's instruction in a batch of several tasks), each group
    /// with its extra shared inputs and its own width; a single group without extra inputs when nothing more is shared.
    /// </summary>
    public IReadOnlyList<SftRowGroup> Groups { get; }

    public static SftBatch Collate(IReadOnlyList<SftExample> examples, int padId, Device device)
    {
        if (examples.Count == 0) throw new ArgumentException("an SFT batch needs at least one example", nameof(examples));
        var width = examples.Max(e => e.Ids.Length);
        var ids = new long[examples.Count * width];
        var mask = new float[examples.Count * (width - 1)];
        long learned = 0;
        for (var b = 0; b < examples.Count; b++)
        {
            var e = examples[b];
            for (var t = 0; t < width; t++) ids[b * width + t] = t < e.Ids.Length ? e.Ids[t] : padId;
            // Target t is token t + 1: learned when that token belongs to the completion and its actor is the policy.
            for (var t = e.PromptLength - 1; t < e.Ids.Length - 1; t++)
                if (e.IsLearned(t + 1))
                {
                    mask[b * (width - 1) + t] = 1f;
                    learned++;
                }
        }
        var shared = SharedPrefixLength(examples);
        using var all = tensor(ids, [examples.Count, width], ScalarType.Int64);
        var inputs = all.narrow(1, 0, width - 1).contiguous().to(device);
        var targets = all.narrow(1, 1, width - 1).contiguous().to(device);
        var lossMask = tensor(mask, [examples.Count, width - 1], ScalarType.Float32).to(device);
        return new SftBatch(inputs, targets, lossMask, examples.Sum(e => (long)e.Ids.Length), learned, shared,
            SftRowGroup.Plan(examples, shared, SftForward.MinSharedPrefix));
    }

    private static int SharedPrefixLength(IReadOnlyList<SftExample> examples)
    {
        // Input t predicts target t; targets from PromptLength - 1 on carry loss, so the prefix stops before that.
        var limit = examples.Min(e => e.PromptLength) - 1;
        var first = examples[0].Ids;
        var length = 0;
        while (length < limit && examples.All(e => e.Ids[length] == first[length])) length++;
        return length;
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        LossMask.Dispose();
    }
}
