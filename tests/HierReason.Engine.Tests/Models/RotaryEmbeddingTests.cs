using System.Text.Json.Nodes;
using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Models;

public class RotaryEmbeddingTests
{
    [Fact]
    public void Default_frequencies_are_powers_of_theta()
    {
        var inv = RopeScaling.InverseFrequencies(8, 10000, null);
        Assert.Equal([1f, 0.1f, 0.01f, 0.001f], inv);
    }

    [Fact]
    public void Linear_scaling_divides_every_frequency()
    {
        var inv = RopeScaling.InverseFrequencies(8, 10000, new RopeScaling("linear", 4));
        Assert.Equal([0.25f, 0.025f, 0.0025f, 0.00025f], inv);
    }

    [Fact]
    public void Llama3_scaling_keeps_high_frequencies_slows_low_ones_and_blends_between()
    {
        var scaling = RopeScaling.Parse(JsonNode.Parse("""
            {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}
            """), "config.json");
        var inv = RopeScaling.InverseFrequencies(128, 500000, scaling);
        Assert.Equal(1.0f, inv[0]);
        Assert.Equal(0.0048394213, inv[26], 1e-9);
        Assert.Equal(0.0013718936, inv[30], 1e-9);        // in the blended band
        Assert.Equal(3.0689260e-07, inv[63], 1e-13);      // slowed by the factor
    }

    [Fact]
    public void Unsupported_rope_scaling_names_the_field()
    {
        var error = Assert.Throws<EngineException>(() =>
            RopeScaling.Parse(JsonNode.Parse("""{"rope_type": "yarn", "factor": 4.0}"""), "m/config.json"));
        Assert.Contains("m/config.json: $.rope_scaling.rope_type", error.Message);
    }

    [Fact]
    public void Attention_scores_depend_only_on_relative_position()
    {
        using var rope = new RotaryEmbedding(RopeScaling.InverseFrequencies(8, 10000, null), 64);
        using var generator = new TorchSharp.torch.Generator(3, CPU);
        using var q = randn([1, 1, 1, 8], generator: generator);
        using var k = randn([1, 1, 1, 8], generator: generator);
        float Score(long m, long n)
        {
            using var scope = NewDisposeScope();
            var (cm, sm) = rope.Forward(tensor(new[] { m }, [1, 1]), ScalarType.Float32);
            var (cn, sn) = rope.Forward(tensor(new[] { n }, [1, 1]), ScalarType.Float32);
            return (RotaryEmbedding.Apply(q, cm, sm) * RotaryEmbedding.Apply(k, cn, sn)).sum().item<float>();
        }
        Assert.Equal(Score(3, 1), Score(12, 10), 1e-4);
        Assert.Equal(Score(40, 0), Score(50, 10), 1e-4);
        Assert.True(Math.Abs(Score(3, 1) - Score(3, 2)) > 1e-2);
    }
}
