using HierReason.Engine.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>
/// A Llama/Qwen2 decoder with its language-model head; parameter names match HF checkpoints
/// (<c>model.layers.0.self_attn.q_proj.weight</c>, <c>lm_head.weight</c> unless embeddings are tied).
/// </summary>
public sealed class CausalLM : nn.Module<Tensor, Tensor>
{
    private readonly DecoderModel model;
    private readonly LoraLinear? lm_head;

    public CausalLM(ModelConfig config, DeviceSpec device) : base(nameof(CausalLM))
    {
        Config = config;
        Spec = device;
        model = new DecoderModel(config, device.Device, device.DType);
        lm_head = config.TieWordEmbeddings ? null : new LoraLinear(config.HiddenSize, config.VocabSize, false, device.Device, device.DType);
        RegisterComponents();
    }

    public ModelConfig Config { get; }
    public DeviceSpec Spec { get; }
    public Device Device => Spec.Device;
    public ScalarType DType => Spec.DType;

    /// <summary>Positions the rotary cos/sin tables cover now (grown on demand up to max_position_embeddings).</summary>
    public long RotaryPositionsCached => model.RotaryPositionsCached;

    /// <summary>A KV cache sized for this model, on its device and in its dtype.</summary>
    public KvCache CreateCache(long batchSize, long capacity) => new(Config, batchSize, capacity, Device, DType);

    /// <summary>Logits for a batch of unpadded, equal-length sequences starting at position 0.</summary>
    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device)
            .unsqueeze(0).expand(inputIds.shape[0], -1);                                         // (B, T)
        return Forward(inputIds, positions).MoveToOuterDisposeScope();
    }

    /// <summary>Next-token logits (B, T, V) in the model dtype (or (B, 1, V) with <paramref name="lastPositionOnly"/>).</summary>
    /// <param name="inputIds">(B, T) int64 token ids; padding ids are arbitrary where the mask is 0.</param>
    /// <param name="positionIds">(B, T) int64 rotary positions of these tokens, per sequence (left padding shifts them).</param>
    /// <param name="cache">Keys/values of earlier positions; receives this call's and advances by T.</param>
    /// <param name="attentionMask">(B, Tpast + T), 1 = real token, 0 = padding; null = all real.</param>
    /// <param name="lastPositionOnly">Project only the last position through lm_head (prefill/decode need no more).</param>
    public Tensor Forward(Tensor inputIds, Tensor positionIds, KvCache? cache = null, Tensor? attentionMask = null, bool lastPositionOnly = false) =>
        ForwardTail(inputIds, positionIds, lastPositionOnly ? 1 : 0, cache, attentionMask);

    /// <summary>
    /// <see cref="Forward"/> projecting only the last <paramref name="logitsToKeep"/> positions through lm_head (0 = all),
    /// giving (B, K, V): scoring a completion needs its length + 1, and (B, T, V) logits of a large vocabulary are the biggest tensor of a step.
    /// </summary>
    public Tensor ForwardTail(Tensor inputIds, Tensor positionIds, int logitsToKeep, KvCache? cache = null, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        var steps = inputIds.shape[1];
        var past = cache?.Length ?? 0;
        var mask = attentionMask is null && past == 0 ? null : AttentionMask(inputIds.shape[0], steps, past, attentionMask);
        var h = model.Forward(inputIds, positionIds, cache, mask);                              // (B, T, C)
        cache?.Advance(steps);
        if (logitsToKeep > 0 && logitsToKeep < steps) h = h.narrow(1, steps - logitsToKeep, logitsToKeep);   // (B, K, C)
        var logits = lm_head is null
            // linear() reads the (V, C) weight transposed in place; matmul(W.t()) on a 3-D input may copy it.
            ? SmallBatchLinear.TryForward(h, model.EmbeddingWeight, null)
              ?? nn.functional.linear(h, model.EmbeddingWeight)                                // (B, T, V)
            : lm_head.forward(h);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (B, 1, T, S) booleans: causal over cached + new positions and blind to padding keys; a padding query
    /// still sees itself so its softmax row is never empty (its output is ignored, but NaN would spread).
    /// </summary>
    private Tensor AttentionMask(long batch, long steps, long past, Tensor? attentionMask)
    {
        var total = past + steps;
        var queryPos = arange(past, total, dtype: ScalarType.Int64, device: Device).unsqueeze(1);   // (T, 1)
        var keyPos = arange(total, dtype: ScalarType.Int64, device: Device).unsqueeze(0);           // (1, S)
        var causal = keyPos.le(queryPos);                                                      // (T, S)
        if (attentionMask is null) return causal.unsqueeze(0).unsqueeze(0).expand(batch, 1, steps, total);
        if (attentionMask.shape[1] != total)
            throw new ArgumentException($"attention mask covers {attentionMask.shape[1]} positions, expected cached {past} + new {steps}");
        var real = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1);                 // (B, 1, 1, S)
        var self = keyPos.eq(queryPos);                                                        // (T, S)
        return causal.unsqueeze(0).unsqueeze(0).logical_and(real).logical_or(self);            // (B, 1, T, S)
    }

    /// <summary>
    /// A frozen copy on <paramref name="device"/> (default: this model's): GRPO's reference model when the whole
    /// policy trains (with LoRA, disabling the adapter is cheaper). Adapter factors are not copied.
    /// </summary>
    public CausalLM FrozenCopy(DeviceSpec? device = null)
    {
        var copy = new CausalLM(Config, device ?? Spec);
        var source = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in copy.named_parameters())
        {
            parameter.copy_(source[name]);
            parameter.requires_grad = false;
        }
        copy.eval();
        return copy;
    }

    /// <summary>Every projection that can take a LoRA adapter, by HF module name (e.g. <c>model.layers.0.self_attn.q_proj</c>).</summary>
    public IEnumerable<(string Name, LoraLinear Layer)> Projections() =>
        named_modules().Where(m => m.module is LoraLinear && m.name != "lm_head").Select(m => (m.name, (LoraLinear)m.module));
}
