using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using static TorchSharp.torch;

namespace HierReason.Training.Sft;

/// <summary>
/// The SFT loss of a batch. Rows that begin with the same tokens (the chat header and the task instruction, about half
/// of a tiny task's prompt) run that prefix once: it fills a one-row KV cache, the cache is gathered to every row, and
/// only the rest of each row runs through the model. In a batch of several tasks, each task's rows (<see cref="SftBatch.Groups"/>)
/// also run their own longer shared start once and pad only to their own longest row. Loss and gradients equal those of
/// the full forward.
/// </summary>
public static class SftForward
{
    /// <summary>Shorter shared prefixes are not worth the extra forward call.</summary>
    public const int MinSharedPrefix = 8;

    /// <summary>The mean cross-entropy of the batch's completion tokens (see <see cref="SftLoss"/>), with the model's graph.</summary>
    public static Tensor Loss(CausalLM model, SftBatch batch, bool sharePrefix = true, bool groups = true)
    {
        using var scope = NewDisposeScope();
        var (rows, width) = (batch.Inputs.shape[0], batch.Inputs.shape[1]);
        var prefix = batch.SharedPrefix;
        if (sharePrefix && groups && Grouped(batch)) return GroupedLoss(model, batch).MoveToOuterDisposeScope();
        if (!Shares(batch, sharePrefix))
        {
            var logits = model.Forward(batch.Inputs, Positions(0, width, rows, batch.Inputs.device));           // (B, T, V)
            return SftLoss.Compute(logits, batch.Targets, batch.LossMask).MoveToOuterDisposeScope();
        }
        using var cache = model.CreateCache(1, width);
        model.ForwardTail(batch.Inputs.narrow(0, 0, 1).narrow(1, 0, prefix), Positions(0, prefix, 1, batch.Inputs.device), 1, cache);  // fills the cache
        cache.Select(zeros(rows, dtype: ScalarType.Int64, device: batch.Inputs.device));
        var rest = width - prefix;
        var tail = model.ForwardTail(batch.Inputs.narrow(1, prefix, rest), Positions(prefix, rest, rows, batch.Inputs.device), 0, cache);  // (B, T - prefix, V)
        var loss = SftLoss.Compute(tail, batch.Targets.narrow(1, prefix, rest), batch.LossMask.narrow(1, prefix, rest));
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The batch prefix once (one row), then per group: its extra shared start once (one row, continuing the batch prefix's
    /// cache), gathered to its rows, and their rests padded to the group's width; the sum of every group's masked
    /// cross-entropy over the batch's loss tokens.
    /// </summary>
    private static Tensor GroupedLoss(CausalLM model, SftBatch batch)
    {
        var device = batch.Inputs.device;
        long prefix = batch.SharedPrefix;
        using var baseCache = model.CreateCache(1, Math.Max(1, prefix));
        if (prefix > 0) model.ForwardTail(batch.Inputs.narrow(0, 0, 1).narrow(1, 0, prefix), Positions(0, prefix, 1, device), 1, baseCache);
        var keys = Enumerable.Range(0, baseCache.Layers).Select(l => baseCache.Filled(l).Keys).ToArray();      // (1, kvh, prefix, hd) each
        var values = Enumerable.Range(0, baseCache.Layers).Select(l => baseCache.Filled(l).Values).ToArray();
        var sum = zeros(1, dtype: ScalarType.Float32, device: device).squeeze();
        foreach (var group in batch.Groups)
        {
            var b = group.Rows.Length;
            var rows = tensor(group.Rows.Select(r => (long)r).ToArray(), dtype: ScalarType.Int64, device: device);  // (b)
            var start = prefix + group.Extra;
            var rest = group.Width - start;
            KvCache? cache = null;
            try
            {
                if (group.Extra > 0)
                {
                    cache = prefix > 0 ? KvCache.FromRows(keys, values, zeros(1, dtype: ScalarType.Int64, device: device), group.Extra + rest)
                        : model.CreateCache(1, group.Extra + rest);
                    model.ForwardTail(batch.Inputs.narrow(0, group.Rows[0], 1).narrow(1, prefix, group.Extra), Positions(prefix, group.Extra, 1, device), 1, cache);
                    cache.Select(zeros(b, dtype: ScalarType.Int64, device: device));
                }
                else if (prefix > 0) cache = KvCache.FromRows(keys, values, zeros(b, dtype: ScalarType.Int64, device: device), rest);
                var inputs = batch.Inputs.index_select(0, rows).narrow(1, start, rest);                          // (b, rest)
                var logits = model.ForwardTail(inputs, Positions(start, rest, b, device), 0, cache);             // (b, rest, V)
                sum = sum + SftLoss.Sum(logits, batch.Targets.index_select(0, rows).narrow(1, start, rest), batch.LossMask.index_select(0, rows).narrow(1, start, rest));
            }
            finally
            {
                cache?.Dispose();
            }
        }
        return sum / Math.Max(1.0, batch.LossTokenCount);
    }

    /// <summary>
    /// What <see cref="Loss"/> computes for <paramref name="batch"/>, padding included: positions run through the model
    /// (shared prefixes once) and their forward FLOPs, attention included (a training step costs three times that).
    /// </summary>
    public static (long Positions, double ForwardFlops) Work(DecoderShape shape, SftBatch batch, bool sharePrefix = true, bool groups = true)
    {
        var (rows, width) = (batch.Inputs.shape[0], batch.Inputs.shape[1]);
        if (sharePrefix && groups && Grouped(batch))
        {
            long prefix = batch.SharedPrefix;
            var positions = prefix;
            var flops = prefix > 0 ? DecoderCost.ForwardFlops(shape, prefix, DecoderCost.CausalKeys(prefix), 1) : 0;
            foreach (var group in batch.Groups)
            {
                long b = group.Rows.Length;
                long start = prefix + group.Extra;
                var rest = group.Width - start;
                if (group.Extra > 0) flops += DecoderCost.ForwardFlops(shape, group.Extra, DecoderCost.CausalKeys(group.Extra, prefix), 1);
                flops += DecoderCost.ForwardFlops(shape, b * rest, b * DecoderCost.CausalKeys(rest, start), b * rest);
                positions += group.Extra + b * rest;
            }
            return (positions, flops);
        }
        if (!Shares(batch, sharePrefix))
            return (rows * width, DecoderCost.ForwardFlops(shape, rows * width, rows * DecoderCost.CausalKeys(width), rows * width));
        long shared = batch.SharedPrefix;
        var tail = width - shared;
        var tailFlops = DecoderCost.ForwardFlops(shape, shared, DecoderCost.CausalKeys(shared), 1)
            + DecoderCost.ForwardFlops(shape, rows * tail, rows * DecoderCost.CausalKeys(tail, shared), rows * tail);
        return (shared + rows * tail, tailFlops);
    }

    // Worth the per-group calls only when some group shares more than the whole batch does.
    private static bool Grouped(SftBatch batch) => batch.Inputs.shape[0] >= 2 && batch.Groups.Any(g => g.Extra > 0) && batch.Groups.Count > 1;

    private static bool Shares(SftBatch batch, bool sharePrefix) =>
        sharePrefix && batch.SharedPrefix >= MinSharedPrefix && batch.Inputs.shape[0] >= 2;

    private static Tensor Positions(long start, long length, long rows, Device device) =>
        arange(start, start + length, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(rows, -1);   // (B, length)
}
