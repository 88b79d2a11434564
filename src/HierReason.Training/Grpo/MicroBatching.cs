namespace HierReason.Training.Grpo;

/// <summary>
/// How the GRPO update cuts a step's rows into micro-batches. Each micro-batch pads its completions to its own longest, so
/// rows sorted by length waste less, and splitting where lengths jump wastes less still. Neither changes the loss or the
/// gradient of any loss type whose micro-batch terms add up to the whole batch's loss (dapo's global normaliser, the
/// per-row means of grpo and dr_grpo, weighted by rows); bnpo's micro-batch token means depend on which rows share a
/// micro-batch, so bnpo keeps the configured contiguous split. <see cref="Off"/> is the old split, for comparisons.
/// </summary>
/// <param name="SortByLength">Order rows by completion length (longest first) before cutting them.</param>
/// <param name="SplitByLength">Choose the cuts that minimise padded positions plus <paramref name="OverheadPositions"/> per
/// micro-batch, instead of <c>grad_accum</c> equal parts; no micro-batch holds more padded positions than one of the
/// configured <c>grad_accum</c> parts could (rows ÷ grad_accum of the longest), so memory never grows.</param>
/// <param name="OverheadPositions">What one more micro-batch costs (kernel launches, the optimiser-free backward call), in padded positions.</param>
public sealed record MicroBatching(bool SortByLength = true, bool SplitByLength = true, int OverheadPositions = 64)
{
    public static readonly MicroBatching Default = new();

    /// <summary>Contiguous equal parts in rollout order: the update as it was before length-aware micro-batches.</summary>
    public static readonly MicroBatching Off = new(SortByLength: false, SplitByLength: false);

    /// <summary>
    /// Row indices of each micro-batch for completions of <paramref name="lengths"/> tokens (an empty one still takes a
    /// padded position). Every row appears exactly once.
    /// </summary>
    public int[][] Plan(IReadOnlyList<int> lengths, int gradAccum, LossType lossType)
    {
        var n = lengths.Count;
        if (n == 0) return [];
        var accum = Math.Clamp(gradAccum, 1, n);
        if (!SortByLength || lossType == LossType.Bnpo) return EqualParts(Enumerable.Range(0, n).ToArray(), accum);
        var order = Enumerable.Range(0, n).OrderByDescending(i => Width(lengths[i])).ThenBy(i => i).ToArray();
        return SplitByLength ? Cheapest(order.Select(i => Width(lengths[i])).ToArray(), order, accum) : EqualParts(order, accum);
    }

    private static int Width(int length) => Math.Max(1, length);

    private static int[][] EqualParts(int[] rows, int parts) =>
        Enumerable.Range(0, parts)
            .Select(k => rows[(rows.Length * k / parts)..(rows.Length * (k + 1) / parts)])
            .Where(part => part.Length > 0).ToArray();

    /// <summary>
    /// Cuts rows of descending <paramref name="widths"/> into consecutive runs, minimising Σ (rows × the run's first width
    /// + overhead) under the memory cap, by dynamic programming over the cut points (O(n²), n = rows of one step).
    /// </summary>
    private int[][] Cheapest(int[] widths, int[] order, int accum)
    {
        var n = widths.Length;
        var cap = (long)((n + accum - 1) / accum) * widths[0];
        var cost = new long[n + 1];
        var cut = new int[n + 1];
        Array.Fill(cost, long.MaxValue);
        cost[0] = 0;
        for (var end = 1; end <= n; end++)
            for (var start = end - 1; start >= 0; start--)
            {
                var positions = (long)(end - start) * widths[start];
                if (positions > cap) break;
                if (cost[start] == long.MaxValue) continue;
                var total = cost[start] + positions + OverheadPositions;
                if (total < cost[end])
                {
                    cost[end] = total;
                    cut[end] = start;
                }
            }
        var parts = new List<int[]>();
        for (var end = n; end > 0; end = cut[end]) parts.Add(order[cut[end]..end]);
        parts.Reverse();
        return parts.ToArray();
    }
}
