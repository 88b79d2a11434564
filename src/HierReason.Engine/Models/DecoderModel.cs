using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>The decoder trunk (HF <c>model.*</c>): token embeddings, the layer stack and the final norm.</summary>
public sealed class DecoderModel : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryEmbedding rotary_emb;

    public DecoderModel(ModelConfig config, Device device, ScalarType dtype) : base(nameof(DecoderModel))
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DecoderLayer(config, device, dtype)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        rotary_emb = new RotaryEmbedding(RopeScaling.InverseFrequencies(config.HeadDim, config.RopeTheta, config.RopeScaling), config.MaxPositionEmbeddings);
        RegisterComponents();
    }

    public Parameter EmbeddingWeight => embed_tokens.weight!;

    /// <summary>Positions the rotary tables cover now: they grow with the longest sequence seen, not max_position_embeddings.</summary>
    public long RotaryPositionsCached => rotary_emb.CachedPositions;

    /// <summary>Final-normed hidden states (B, T, C); see <see cref="CausalLM.Forward"/> for the arguments.</summary>
    public Tensor Forward(Tensor inputIds, Tensor positionIds, KvCache? cache, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var x = embed_tokens.forward(inputIds);                                                 // (B, T, C)
        var (cos, sin) = rotary_emb.Forward(positionIds, x.dtype);                              // (B, 1, T, hd)
        for (var i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, cos, sin, mask, cache, i);                                  // (B, T, C)
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}
