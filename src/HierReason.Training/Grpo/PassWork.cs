using HierReason.Core.Episodes;
using HierReason.Engine.Generation;
using HierReason.Engine.Perf;

namespace HierReason.Training.Grpo;

/// <summary>
/// What one scoring pass of the GRPO update computes, padding included: the distinct prompts left-padded to the longest
/// (once per pass, their common start once for all when shared) and each micro-batch's completions right-padded to its longest (the last token is never fed), with
/// the forward FLOPs of both (<see cref="DecoderCost.ForwardFlops"/>; a pass with gradients costs three times that).
/// </summary>
internal sealed record PassWork(long Positions, double ForwardFlops)
{
    public static PassWork Of(DecoderShape shape, IReadOnlyList<IReadOnlyList<int>> prompts, IReadOnlyList<Episode> episodes, IReadOnlyList<int[]> chunks, bool sharePrefix)
    {
        long width = prompts.Max(p => p.Count);
        var (positions, flops) = PromptPrefill.Work(shape, prompts, sharePrefix);
        foreach (var rows in chunks)
        {
            long fed = Math.Max(1, rows.Max(r => episodes[r].CompletionTokenIds.Count)) - 1;
            if (fed == 0) continue;
            positions += rows.Length * fed;
            flops += DecoderCost.ForwardFlops(shape, rows.Length * fed, rows.Length * DecoderCost.CausalKeys(fed, width), rows.Length * fed);
        }
        return new PassWork(positions, flops);
    }
}
