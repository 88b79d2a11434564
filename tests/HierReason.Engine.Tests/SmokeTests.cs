using static TorchSharp.torch;

namespace HierReason.Engine.Tests;

public class SmokeTests
{
    [Fact]
    public void Libtorch_loads_and_multiplies()
    {
        using var a = ones(2, 3);
        using var b = ones(3, 4);
        using var c = a.matmul(b);
        Assert.Equal(3f, c[0, 0].item<float>());
        using var q = randn(1, 2, 4, 8);
        using var o = nn.functional.scaled_dot_product_attention(q, q, q, is_casual: true);
        Assert.Equal(new long[] { 1, 2, 4, 8 }, o.shape);
    }
}
