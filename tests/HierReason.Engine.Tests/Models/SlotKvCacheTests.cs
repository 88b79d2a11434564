using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Models;

/// <summary>
/// A slot cache (continuous batching): sequences join with <see cref="KvCache.AddRows"/>, leave with
/// <see cref="KvCache.RemoveRows"/>, and padding no row needs goes with <see cref="KvCache.DropColumns"/>; at every step
/// each row's logits are those of its whole sequence run alone.
/// </summary>
public class SlotKvCacheTests
{
    private readonly List<(List<long> Seq, List<bool> Mask)> _rows = [];

    [Fact]
    public void Rows_that_join_leave_and_lose_dropped_columns_see_what_they_would_alone()
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        using var noGrad = no_grad();
        // Larger weights than the init, so attention is far from uniform and a wrong key cannot hide.
        foreach (var (_, p) in model.named_parameters()) p.mul_(4);
        using var cache = KvCache.Slots(model.Config, 1, 6, model.Device, model.DType);   // grows in rows and in columns

        AssertAlone(model, Join(model, cache, [3, 8, 13, 21, 5]), 0);
        AssertAlone(model, Step(model, cache, [9]), 0);
        // A shorter prompt ends at the cache's end column, after padding.
        AssertAlone(model, Join(model, cache, [2, 7, 1]), 1, fromRow: 0);
        var two = Step(model, cache, [4, 6]);
        AssertAlone(model, two, 0);
        AssertAlone(model, two, 1);
        // A longer prompt than the cache holds moves its end: the running rows get padding columns.
        AssertAlone(model, Join(model, cache, [2, 7, 1, 8, 2, 8, 1, 8, 4]), 2, fromRow: 0);
        var three = Step(model, cache, [1, 2, 3]);
        for (var row = 0; row < 3; row++) AssertAlone(model, three, row);

        // Rows 0 and 2 leave: row 1 moves into slot 0.
        cache.RemoveRows([0], [1], 1);
        _rows[0] = _rows[1];
        _rows.RemoveRange(1, 2);
        var start = _rows[0].Mask.IndexOf(true);
        Assert.True(start > 0);
        cache.DropColumns(start);
        _rows[0].Mask.RemoveRange(0, start);
        Assert.Equal(_rows[0].Mask.Count, cache.Length);
        for (var i = 0; i < 12; i++) AssertAlone(model, Step(model, cache, [11 + i]), 0);   // past the cache's capacity
        Assert.Equal(1, cache.BatchSize);
    }

    [Fact]
    public void Keeping_only_the_columns_some_row_attends_to_changes_no_rows_logits()
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        using var noGrad = no_grad();
        foreach (var (_, p) in model.named_parameters()) p.mul_(4);
        using var cache = KvCache.Slots(model.Config, 3, 8, model.Device, model.DType);
        Join(model, cache, [3, 8, 13, 21, 5, 7, 2, 9]);
        Join(model, cache, [2, 7, 1]);
        Join(model, cache, [6, 6, 2, 4]);
        Step(model, cache, [9, 4, 1]);
        // The long first row leaves (the last moves into its slot): the columns before the others' prompts are attended by no one now.
        cache.RemoveRows([0], [2], 2);
        _rows[0] = _rows[2];
        _rows.RemoveAt(2);
        var alive = Enumerable.Range(0, (int)cache.Length).Where(c => _rows.Any(r => r.Mask[c])).Select(c => (long)c).ToArray();
        Assert.True(alive.Length < cache.Length);
        cache.KeepColumns(tensor(alive));
        Assert.Equal(alive.Length, cache.Length);
        for (var i = 0; i < _rows.Count; i++)
        {
            var mask = _rows[i].Mask;
            _rows[i] = (_rows[i].Seq, alive.Select(c => mask[(int)c]).ToList());
        }
        for (var step = 0; step < 4; step++)
        {
            var logits = Step(model, cache, [10 + step, 20 + step]);
            AssertAlone(model, logits, 0);
            AssertAlone(model, logits, 1);
        }
    }

    /// <summary>Prefills <paramref name="prompt"/> into its own cache and adds it as the last row; its last-position logits (1, 1, V).</summary>
    private Tensor Join(CausalLM model, KvCache cache, long[] prompt)
    {
        using var own = model.CreateCache(1, prompt.Length);
        var logits = model.Forward(tensor(prompt, [1, prompt.Length]), arange(prompt.Length, dtype: ScalarType.Int64).unsqueeze(0), own, lastPositionOnly: true);
        cache.AddRows(own, tensor(new long[] { 0 }));
        foreach (var row in _rows) row.Mask.AddRange(Enumerable.Repeat(false, (int)cache.Length - row.Mask.Count));
        _rows.Add((prompt.ToList(), Enumerable.Repeat(false, (int)cache.Length - prompt.Length).Concat(Enumerable.Repeat(true, prompt.Length)).ToList()));
        Assert.Equal(_rows.Count, cache.BatchSize);
        return logits;
    }

    /// <summary>One token per row; the step's logits (M, 1, V).</summary>
    private Tensor Step(CausalLM model, KvCache cache, long[] next)
    {
        for (var i = 0; i < _rows.Count; i++)
        {
            _rows[i].Seq.Add(next[i]);
            _rows[i].Mask.Add(true);
        }
        using var mask = tensor(_rows.SelectMany(r => r.Mask).ToArray(), [_rows.Count, cache.Length + 1]);
        using var ids = tensor(next, [_rows.Count, 1]);
        using var positions = tensor(_rows.Select(r => (long)r.Seq.Count - 1).ToArray(), [_rows.Count, 1]);
        return model.Forward(ids, positions, cache, mask, lastPositionOnly: true);
    }

    private void AssertAlone(CausalLM model, Tensor logits, int row, int? fromRow = null)
    {
        var seq = _rows[row].Seq.ToArray();
        using var alone = model.forward(tensor(seq, [1, seq.Length]));
        using var expected = alone[0, -1];
        using var actual = logits[fromRow ?? row, -1];
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"row {row}: max |Δlogit| {diff}");
    }
}
