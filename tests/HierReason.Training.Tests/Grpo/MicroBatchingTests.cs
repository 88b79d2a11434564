using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Grpo;

public class MicroBatchingTests
{
    private static readonly int[] Lengths = [5, 80, 0, 30, 7, 75, 6, 31, 8, 4, 77, 29];

    private static long Padded(int[][] plan) => plan.Sum(rows => (long)rows.Length * rows.Max(r => Math.Max(1, Lengths[r])));

    [Fact]
    public void Off_cuts_the_rows_in_rollout_order_into_grad_accum_equal_parts()
    {
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], MicroBatching.Off.Plan(Lengths, 3, LossType.Dapo));
        Assert.Equal([Enumerable.Range(0, 12).ToArray()], MicroBatching.Off.Plan(Lengths, 1, LossType.Dapo));
    }

    [Fact]
    public void Sorting_alone_keeps_grad_accum_parts_of_rows_of_similar_length()
    {
        var plan = (MicroBatching.Default with { SplitByLength = false }).Plan(Lengths, 3, LossType.Dapo);
        Assert.Equal([[1, 10, 5, 7], [3, 11, 8, 4], [6, 0, 9, 2]], plan);
        Assert.True(Padded(plan) < Padded(MicroBatching.Off.Plan(Lengths, 3, LossType.Dapo)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Splitting_by_length_uses_every_row_once_pads_less_and_never_holds_more_than_a_configured_part(int accum)
    {
        var plan = MicroBatching.Default.Plan(Lengths, accum, LossType.Grpo);
        Assert.Equal(Enumerable.Range(0, Lengths.Length), plan.SelectMany(rows => rows).Order());
        var configured = MicroBatching.Off.Plan(Lengths, accum, LossType.Grpo);
        Assert.True(Padded(plan) < Padded(configured), $"{Padded(plan)} vs {Padded(configured)}");
        // Memory: no part holds more padded positions than rows ÷ grad_accum of the longest completion.
        var cap = (Lengths.Length + accum - 1) / accum * Lengths.Max();
        Assert.All(plan, rows => Assert.True(rows.Length * rows.Max(r => Math.Max(1, Lengths[r])) <= cap));
    }

    [Fact]
    public void The_per_micro_batch_overhead_decides_how_finely_to_split()
    {
        // Three length classes (~80, ~30, ~6): a small overhead splits at each jump, a huge one keeps one micro-batch.
        Assert.Equal(3, (MicroBatching.Default with { OverheadPositions = 16 }).Plan(Lengths, 1, LossType.Dapo).Length);
        Assert.Single((MicroBatching.Default with { OverheadPositions = 100_000 }).Plan(Lengths, 1, LossType.Dapo));
    }

    [Fact]
    public void Bnpo_keeps_the_configured_contiguous_parts()
    {
        // bnpo averages each micro-batch over its own tokens, so which rows share a micro-batch changes its loss.
        Assert.Equal(MicroBatching.Off.Plan(Lengths, 2, LossType.Bnpo), MicroBatching.Default.Plan(Lengths, 2, LossType.Bnpo));
    }
}
