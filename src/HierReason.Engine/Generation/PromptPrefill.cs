using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>
/// Prompts run through a model into a fresh KV cache, each prompt's last logits out. Prompts that begin with the same
/// tokens (the chat header and the task instruction every rollout prompt starts with) run that prefix once, for one row,
/// and the cache is gathered to every row before the rest of each prompt runs: row r is laid out as
/// [shared prefix][padding][rest of prompt r], the mask hides the padding and positions count real tokens, so every row
/// sees exactly the keys, values and positions it would see alone.
/// </summary>
public static class PromptPrefill
{
    /// <summary>Shorter common prefixes are not worth the extra forward call.</summary>
    public const int MinSharedPrefix = 8;

    /// <summary>
    /// A cache of one row per prompt with room for <paramref name="extraCapacity"/> more positions, the prompts' last-position
    /// logits (U, 1, V) and the cache's (U, W) mask (1 = real token). With gradients unless called under no_grad.
    /// </summary>
    public static (KvCache Cache, Tensor LastLogits, Tensor Mask) Run(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, int padTokenId,
        long extraCapacity, bool sharePrefix = true)
    {
        var device = model.Device;
        var shared = sharePrefix ? SharedLength(prompts) : 0;
        using var scope = NewDisposeScope();
        if (shared == 0)
        {
            using var batch = PaddedBatch.LeftPadded(prompts, padTokenId, device);                     // (U, P)
            var cache = model.CreateCache(prompts.Count, batch.Width + extraCapacity);
            var positions = (batch.Mask.cumsum(1) - 1).clamp_min(0);                                  // (U, P)
            var logits = model.ForwardTail(batch.Ids, positions, 1, cache, batch.Mask);              // (U, 1, V)
            return (cache, logits.MoveToOuterDisposeScope(), batch.Mask.alias().MoveToOuterDisposeScope());
        }
        using var rests = PaddedBatch.LeftPadded(prompts.Select(p => (IReadOnlyList<int>)p.Skip(shared).ToArray()).ToArray(), padTokenId, device);  // (U, R)
        var width = shared + rests.Width;
        var sharedCache = model.CreateCache(1, width + extraCapacity);
        try
        {
            var prefixIds = tensor(prompts[0].Take(shared).Select(id => (long)id).ToArray(), [1, shared], dtype: ScalarType.Int64, device: device);   // (1, S)
            var prefixPositions = arange(shared, dtype: ScalarType.Int64, device: device).unsqueeze(0);                                            // (1, S)
            model.ForwardTail(prefixIds, prefixPositions, 1, sharedCache);                              // fills the cache's one row
            sharedCache.Select(zeros(prompts.Count, dtype: ScalarType.Int64, device: device));
            var mask = cat([ones(prompts.Count, shared, dtype: ScalarType.Int64, device: device), rests.Mask], dim: 1);   // (U, S + R)
            var logits = model.ForwardTail(rests.Ids, rests.Positions + shared, 1, sharedCache, mask);                    // (U, 1, V)
            return (sharedCache, logits.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
        }
        catch
        {
            sharedCache.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Positions <see cref="Run"/> computes (left padding included, a shared prefix once) and their forward FLOPs
    /// (<see cref="DecoderCost.ForwardFlops"/>, attention included; one lm_head row per prompt).
    /// </summary>
    public static (long Positions, double Flops) Work(DecoderShape shape, IReadOnlyList<IReadOnlyList<int>> prompts, bool sharePrefix = true)
    {
        long shared = sharePrefix ? SharedLength(prompts) : 0;
        long rest = prompts.Max(p => p.Count) - shared;
        long rows = prompts.Count;
        var flops = DecoderCost.ForwardFlops(shape, rows * rest, rows * DecoderCost.CausalKeys(rest, shared), rows);
        if (shared > 0) flops += DecoderCost.ForwardFlops(shape, shared, DecoderCost.CausalKeys(shared), 1);
        return (shared + rows * rest, flops);
    }

    /// <summary>The length of the prefix every prompt shares, leaving each at least its last token to run per row; 0 when too short to be worth it.</summary>
    public static int SharedLength(IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        if (prompts.Count < 2) return 0;
        var limit = prompts.Min(p => p.Count) - 1;
        var first = prompts[0];
        var length = 0;
        while (length < limit && prompts.All(p => p[length] == first[length])) length++;
        return length >= MinSharedPrefix ? length : 0;
    }
}
