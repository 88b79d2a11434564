using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using static TorchSharp.torch;

namespace HierReason.Training.Sft;

/// <summary>
/// The SFT loss of a batch. Rows that begin with the same tokens (the chat header and the task instruction, about half
/// of a tiny task's prompt) run that prefix once: it fills a one-row KV cache, the cache is gathered to every row, and
/// only the rest of each row runs through the model. Loss and gradients equal those of the full forward.
/// </summary>
public static class SftForward
{
    /// <summary>Shorter shared prefixes are not worth the extra forward call.</summary>
    public const int MinSharedPrefix = 8;

    /// <summary>The mean cross-entropy of the batch's completion tokens (see <see cref="SftLoss"/>), with the model's graph.</summary>
    public static Tensor Loss(CausalLM model, SftBatch batch, bool sharePrefix = true)
    {
        using var scope = NewDisposeScope();
        var (rows, width) = (batch.Inputs.shape[0], batch.Inputs.shape[1]);
        var prefix = batch.SharedPrefix;
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
    /// What <see cref="Loss"/> computes for <paramref name="batch"/>, padding included: positions run through the model
    /// (the shared prefix once) and their forward FLOPs, attention included (a training step costs three times that).
    /// </summary>
    public static (long Positions, double ForwardFlops) Work(DecoderShape shape, SftBatch batch, bool sharePrefix = true)
    {
        var (rows, width) = (batch.Inputs.shape[0], batch.Inputs.shape[1]);
        if (!Shares(batch, sharePrefix))
            return (rows * width, DecoderCost.ForwardFlops(shape, rows * width, rows * DecoderCost.CausalKeys(width), rows * width));
        long prefix = batch.SharedPrefix;
        var rest = width - prefix;
        var flops = DecoderCost.ForwardFlops(shape, prefix, DecoderCost.CausalKeys(prefix), 1)
            + DecoderCost.ForwardFlops(shape, rows * rest, rows * DecoderCost.CausalKeys(rest, prefix), rows * rest);
        return (prefix + rows * rest, flops);
    }

    private static bool Shares(SftBatch batch, bool sharePrefix) =>
        sharePrefix && batch.SharedPrefix >= MinSharedPrefix && batch.Inputs.shape[0] >= 2;

    private static Tensor Positions(long start, long length, long rows, Device device) =>
        arange(start, start + length, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(rows, -1);   // (B, length)
}
