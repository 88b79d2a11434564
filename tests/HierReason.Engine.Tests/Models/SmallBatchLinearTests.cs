using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Models;

public class SmallBatchLinearTests
{
    // 517 output columns: 129 blocks of four and one left over, so the tail path runs too.
    private const long K = 512, N = 517;

    private static Tensor Random(long seed, params long[] shape)
    {
        var generator = new Generator((ulong)seed);
        return randn(shape, generator: generator);
    }

    [Fact]
    public void Float32_matches_libtorch_for_every_row_count_the_kernel_takes_with_bias_and_leading_dimensions()
    {
        if (!SmallBatchLinear.IsSupported) { Assert.Null(SmallBatchLinear.TryForward(Random(1, 2, K), Random(2, N, K), null)); return; }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = Random(2, N, K);
        var b = Random(3, N);
        foreach (var rows in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 13, 16 })
        {
            var x = Random(10 + rows, rows, K);
            var mine = SmallBatchLinear.TryForward(x, w, b);
            Assert.NotNull(mine);
            var expected = nn.functional.linear(x, w, b);
            Assert.Equal(new[] { (long)rows, N }, mine.shape);
            var err = (mine - expected).abs().max().item<float>();
            Assert.True(err < 2e-4f, $"{rows} rows: max abs error {err} (values are sums of 512 products of N(0,1)s, about ±23)");
        }
        var x3 = Random(40, 2, 3, K);                                                            // (2, 3, K)
        var y3 = SmallBatchLinear.TryForward(x3, w, null)!;
        Assert.Equal(new[] { 2L, 3, N }, y3.shape);
        Assert.True((y3 - nn.functional.linear(x3, w)).abs().max().item<float>() < 2e-4f);
    }

    [Fact]
    public void A_rows_result_does_not_depend_on_how_many_rows_share_the_call()
    {
        if (!SmallBatchLinear.IsSupported) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = Random(2, N, K);
        var x = Random(5, 16, K);
        var solo = Enumerable.Range(0, 16).Select(r => SmallBatchLinear.TryForward(x[r..(r + 1)], w, null)!).ToArray();
        foreach (var rows in new[] { 2, 3, 4, 5, 8, 11, 16 })
        {
            var batch = SmallBatchLinear.TryForward(x[..rows], w, null)!;
            for (var r = 0; r < rows; r++)
                Assert.True(batch[r].eq(solo[r][0]).all().item<bool>(), $"row {r} of {rows} differs from the same row alone");
        }
    }

    [Fact]
    public void Splitting_the_columns_across_threads_gives_the_same_bits()
    {
        if (!SmallBatchLinear.IsSupported) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = Random(2, 4 * N, K);                                                            // large enough to split
        var x = Random(6, 6, K);
        var one = SmallBatchLinear.TryForward(x, w, null)!;
        var threads = get_num_threads();
        set_num_threads(2);
        try
        {
            var two = SmallBatchLinear.TryForward(x, w, null)!;
            Assert.True(one.eq(two).all().item<bool>());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void Bfloat16_one_row_matches_a_float32_product_of_the_same_values_rounded_once()
    {
        if (!SmallBatchLinear.IsSupported) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = Random(2, N, K).to(ScalarType.BFloat16);
        var x = Random(7, 1, K).to(ScalarType.BFloat16);
        var mine = SmallBatchLinear.TryForward(x, w, null)!;
        Assert.Equal(ScalarType.BFloat16, mine.dtype);
        var exact = nn.functional.linear(x.to(ScalarType.Float32), w.to(ScalarType.Float32));   // widening is exact
        var relative = ((mine.to(ScalarType.Float32) - exact).abs() / exact.abs().clamp_min(1.0)).max().item<float>();
        Assert.True(relative <= 1.0f / 128, $"relative error {relative}: more than bfloat16's rounding of one result");
        Assert.True((mine - nn.functional.linear(x, w)).to(ScalarType.Float32).abs().max().item<float>() < 0.5f);
    }

    [Fact]
    public void A_weight_that_is_a_row_slice_of_a_larger_tensor_is_read_from_its_own_offset()
    {
        if (!SmallBatchLinear.IsSupported) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var whole = Random(2, 2 * N, K);
        var lower = whole.narrow(0, N, N);                                                      // contiguous, storage offset N·K
        var x = Random(8, 3, K);
        var mine = SmallBatchLinear.TryForward(x, lower, null)!;
        Assert.True((mine - nn.functional.linear(x, lower)).abs().max().item<float>() < 2e-4f);
    }

    [Fact]
    public void The_last_position_of_a_prefill_is_read_from_its_offset_whether_or_not_the_slice_is_contiguous()
    {
        if (!SmallBatchLinear.IsSupported) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = Random(2, N, K);
        foreach (var batch in new long[] { 1, 3 })
        {
            var h = Random(20 + batch, batch, 5, K);                                            // (B, T, K)
            var last = h.narrow(1, 4, 1);                                                       // B = 1: contiguous at an offset; B = 3: strided
            Assert.Equal(batch == 1, last.is_contiguous());
            var mine = SmallBatchLinear.TryForward(last, w, null)!;
            Assert.Equal(new[] { batch, 1L, N }, mine.shape);
            Assert.True((mine - nn.functional.linear(last, w)).abs().max().item<float>() < 2e-4f, $"batch {batch}");
        }
    }

    [Fact]
    public void Shapes_dtypes_and_gradients_it_does_not_take_go_to_libtorch()
    {
        using var scope = NewDisposeScope();
        var w = Random(2, N, K);
        using (no_grad())
        {
            Assert.Null(SmallBatchLinear.TryForward(Random(1, 17, K), w, null));                      // more than 16 rows
            Assert.Null(SmallBatchLinear.TryForward(Random(1, 2, K - 8), Random(2, N, K - 8), null));  // K not a multiple of 16
            Assert.Null(SmallBatchLinear.TryForward(Random(1, 2, 64), Random(2, 64, 64), null));       // a small weight
            Assert.Null(SmallBatchLinear.TryForward(Random(1, 2, K), Random(2, K, N).t(), null));      // not contiguous
            Assert.Null(SmallBatchLinear.TryForward(Random(1, 2, K).to(ScalarType.BFloat16), w.to(ScalarType.BFloat16), null)); // bf16, 2 rows
            Assert.Null(SmallBatchLinear.TryForward(Random(1, 2, K).to(ScalarType.Float64), w.to(ScalarType.Float64), null));
        }
        var trainable = Random(2, N, K).requires_grad_(true);
        Assert.Null(SmallBatchLinear.TryForward(Random(1, 2, K), trainable, null));                   // gradients wanted
    }

    [Fact]
    public void A_model_with_large_layers_gives_the_same_logits_through_the_kernel_as_through_libtorch()
    {
        // 512-wide layers and a tied 600-row embedding: every projection but k/v is over the size threshold.
        var config = TestModels.Llama(vocab: 600) with { HiddenSize = 512, IntermediateSize = 1024, NumAttentionHeads = 8, NumKeyValueHeads = 2, HeadDim = 64 };
        using var model = TestModels.Create(config);
        model.eval();
        Assert.Equal(SmallBatchLinear.IsSupported, SmallBatchLinear.HasLargeWeights(model));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // One position per sequence: 3 rows take the kernel, 20 rows (the same 3 first) take libtorch's GEMM.
        var ids = randint(0, 600, [20, 1], dtype: ScalarType.Int64, generator: new Generator(9));
        var positions = zeros(20, 1, dtype: ScalarType.Int64);
        var few = model.Forward(ids[..3], positions[..3]);                                      // (3, 1, V)
        var many = model.Forward(ids, positions)[..3];                                          // (3, 1, V)
        var err = (few - many).abs().max().item<float>();
        Assert.True(err < 1e-3f, $"max logit difference {err}");
        Assert.True(many.abs().max().item<float>() > 0.1f);
    }
}
