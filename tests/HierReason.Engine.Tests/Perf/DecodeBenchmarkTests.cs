using HierReason.Engine.Perf;

namespace HierReason.Engine.Tests.Perf;

public class DecodeBenchmarkTests
{
    [Fact]
    public void Benchmark_reports_the_shape_it_ran()
    {
        using var model = TestModels.Create(TestModels.Llama());
        var result = DecodeBenchmark.Measure(model, batch: 2, promptTokens: 5, newTokens: 4, repeats: 1);
        Assert.Equal((2, 5, 4), (result.Batch, result.PromptTokens, result.NewTokens));
        Assert.Equal(model.parameters().Sum(p => p.numel()), result.Parameters);
        Assert.StartsWith("cpu/", result.Device);
        Assert.True(result.DecodeTokensPerSecond > 0);
        Assert.True(result.PrefillTokensPerSecond > 0);
    }

    [Fact]
    public void Zero_sized_benchmark_is_a_user_error()
    {
        using var model = TestModels.Create(TestModels.Llama());
        Assert.Throws<EngineException>(() => DecodeBenchmark.Measure(model, batch: 0));
    }
}
