using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Perf;

/// <summary>A model shape the generation benchmark runs with random weights, under a display name.</summary>
public sealed record BenchmarkedModel(string Name, ModelConfig Config)
{
    /// <summary>The embedded tiny model over the byte tokenizer's vocabulary.</summary>
    public static BenchmarkedModel Tiny { get; } = new("tiny", ModelConfig.Tiny(new ByteTokenizer().VocabSize));

    /// <summary>Qwen2.5-0.5B's shape: 24 layers of width 896, 14 heads over 2 KV heads, MLP 4864, q/k/v biases, tied 151,936-row embedding.</summary>
    public static BenchmarkedModel Qwen25HalfB { get; } = new("qwen2.5-0.5b-shape", new ModelConfig
    {
        ModelType = "qwen2",
        VocabSize = 151936,
        HiddenSize = 896,
        IntermediateSize = 4864,
        NumHiddenLayers = 24,
        NumAttentionHeads = 14,
        NumKeyValueHeads = 2,
        HeadDim = 64,
        RmsNormEps = 1e-6,
        RopeTheta = 1000000.0,
        MaxPositionEmbeddings = 32768,
        TieWordEmbeddings = true,
        QkvBias = true,
        EosTokenIds = [151643],
    });
}
