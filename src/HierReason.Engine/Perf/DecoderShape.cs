using HierReason.Engine.Models;

namespace HierReason.Engine.Perf;

/// <summary>The sizes of a Llama/Qwen2-style decoder that its cost depends on.</summary>
/// <param name="Vocab">Vocabulary size (rows of the embedding and lm_head).</param>
/// <param name="Hidden">Model width.</param>
/// <param name="Intermediate">Width of the gated MLP.</param>
/// <param name="Layers">Number of decoder layers.</param>
/// <param name="Heads">Query heads.</param>
/// <param name="KvHeads">Key/value heads (fewer than <paramref name="Heads"/> under grouped-query attention).</param>
/// <param name="HeadDim">Width of one head.</param>
/// <param name="Tied">Whether lm_head shares the embedding's weights.</param>
/// <param name="QkvBias">Whether q/k/v projections have biases (Qwen2 does, Llama does not).</param>
public sealed record DecoderShape(
    int Vocab,
    int Hidden,
    int Intermediate,
    int Layers,
    int Heads,
    int KvHeads,
    int HeadDim,
    bool Tied,
    bool QkvBias = false)
{
    /// <summary>The shape of a model config (o_proj biases, Llama-only and rare, are lower-order and left out).</summary>
    public static DecoderShape Of(ModelConfig config) => new(
        config.VocabSize,
        config.HiddenSize,
        config.IntermediateSize,
        config.NumHiddenLayers,
        config.NumAttentionHeads,
        config.NumKeyValueHeads,
        config.HeadDim,
        config.TieWordEmbeddings,
        config.QkvBias);
}
