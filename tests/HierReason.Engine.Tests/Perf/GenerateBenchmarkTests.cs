using System.Text.Json;
using HierReason.Engine.Perf;

namespace HierReason.Engine.Tests.Perf;

public class GenerateBenchmarkTests
{
    // One quick run shared by the assertions below: it is the slowest thing in this class.
    private static readonly Lazy<GenerateBenchmarkResult> QuickRun = new(() => GenerateBenchmark.Run(GenerateBenchmarkSettings.Quick));

    [Fact]
    public void Quick_run_measures_prefill_and_each_decode_batch_per_dtype_of_the_tiny_model()
    {
        var result = QuickRun.Value;
        var quick = GenerateBenchmarkSettings.Quick;
        Assert.Equal(quick.DTypes.Count * (1 + quick.DecodeBatches.Count), result.Throughput.Count);
        Assert.All(result.Throughput, t => Assert.Equal("tiny", t.Model));
        Assert.Equal(
            ["float32/prefill/1", "float32/decode/1", "float32/decode/4", "bfloat16/prefill/1", "bfloat16/decode/1", "bfloat16/decode/4"],
            result.Throughput.Select(t => $"{t.DType}/{t.Phase}/{t.Batch}"));
        Assert.Equal("cpu", result.Device);
    }

    [Fact]
    public void Step_cost_lines_split_a_decode_step_into_a_fixed_part_and_a_cost_per_row()
    {
        var result = QuickRun.Value;
        var lines = result.StepCostLines();
        Assert.Equal(GenerateBenchmarkSettings.Quick.DTypes.Count, lines.Count);
        var decode = result.Throughput.Where(t => t.DType == "float32" && t.Phase == "decode").OrderBy(t => t.Batch).ToArray();
        var (one, four) = (decode[0].Seconds / decode[0].Tokens * 1000, decode[1].Seconds / decode[1].Tokens * 1000);
        var perRow = (four - one) / 3;
        var expected = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"- tiny float32, torch kernels: {one - perRow:F3} ms fixed + {perRow:F4} ms per row (batch 1→4).");
        Assert.Equal(expected, lines[0]);
        Assert.Contains("Decode step cost", result.ToMarkdown());
    }

    [Fact]
    public void Quick_run_rates_are_positive_and_floor_ratios_are_floor_over_measured_time()
    {
        var result = QuickRun.Value;
        Assert.True(result.Baseline.Float32FlopsPerSecond > 0 && result.Baseline.CopyBytesPerSecond > 0);
        foreach (var t in result.Throughput)
        {
            Assert.True(t.Seconds > 0 && double.IsFinite(t.TokensPerSecond) && t.TokensPerSecond > 0, t.ToString());
            Assert.Equal(t.Batch * t.Tokens / t.Seconds, t.TokensPerSecond, 6);
            // The ratio is the floor over the measured time; its size depends on the machine's load (no timing assertion).
            Assert.True(t.FloorSeconds > 0 && double.IsFinite(t.FloorSeconds), t.ToString());
            Assert.Equal(t.FloorSeconds / t.Seconds, t.FloorRatio, 9);
            Assert.Contains(t.BoundBy, new[] { "compute", "memory" });
            Assert.InRange(t.Runs, 1, GenerateBenchmarkSettings.Quick.Repeats);
        }
    }

    [Fact]
    public void Decoding_without_the_cache_gives_the_same_tokens_as_with_it()
    {
        var comparison = Assert.Single(QuickRun.Value.KvCache);
        Assert.True(comparison.SameTokens);
        Assert.Equal(16, comparison.NewTokens);
        Assert.True(comparison.WithCacheSeconds > 0 && comparison.WithoutCacheSeconds > 0);
        Assert.Equal(comparison.WithoutCacheSeconds / comparison.WithCacheSeconds, comparison.Speedup, 9);
    }

    [Fact]
    public void Memory_counts_the_tiny_models_float32_weights()
    {
        var memory = Assert.Single(QuickRun.Value.Memory);
        Assert.Equal(("tiny", "float32"), (memory.Model, memory.DType));
        Assert.Equal(1_625_280L * 4, memory.ModelBytes);
        if (OperatingSystem.IsLinux()) Assert.True(memory.PeakRssBytes >= memory.ModelBytes);
    }

    [Fact]
    public void Json_is_snake_case_and_markdown_has_a_row_per_measurement()
    {
        var result = QuickRun.Value;
        using var json = JsonDocument.Parse(result.ToJson());
        var first = json.RootElement.GetProperty("throughput")[0];
        Assert.Equal("tiny", first.GetProperty("model").GetString());
        Assert.True(first.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("baseline").GetProperty("float32_flops_per_second").GetDouble() > 0);
        Assert.Equal(16, json.RootElement.GetProperty("kv_cache")[0].GetProperty("new_tokens").GetInt32());

        var rows = result.ToMarkdown().Split('\n').Where(l => l.StartsWith("| tiny |", StringComparison.Ordinal)).ToList();
        Assert.Equal(result.Throughput.Count + result.KvCache.Count + result.Memory.Count, rows.Count);
    }

    [Fact]
    public void Impossible_settings_are_a_user_error()
    {
        Assert.Throws<EngineException>(() => GenerateBenchmark.Run(GenerateBenchmarkSettings.Quick with { DecodeBatches = [0] }));
        Assert.Throws<EngineException>(() => GenerateBenchmark.Run(GenerateBenchmarkSettings.Quick with { DTypes = ["int8"] }));
    }
}
