using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Training.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Preference;

/// <summary>
/// π_ref of DPO: a frozen copy of the starting (SFT) model, or — when a LoRA adapter trains — the policy itself with the
/// adapter disabled, which is exactly the base model and costs no second copy of the weights.
/// </summary>
public sealed class DpoReference : IDisposable
{
    private readonly CausalLM _scorer;
    private readonly LoraAdapter? _adapter;
    private readonly bool _owned;

    private DpoReference(CausalLM scorer, LoraAdapter? adapter, bool owned)
    {
        _scorer = scorer;
        _adapter = adapter;
        _owned = owned;
    }

    /// <summary>A frozen copy of <paramref name="model"/> as it is now (call before training).</summary>
    public static DpoReference FrozenCopyOf(CausalLM model) => new(model.FrozenCopy(), null, owned: true);

    /// <summary><paramref name="model"/> scored with <paramref name="adapter"/> switched off.</summary>
    public static DpoReference AdapterOff(CausalLM model, LoraAdapter adapter) => new(model, adapter, owned: false);

    /// <summary>(B) summed response log-probs of the batch's rows under the reference, without a graph.</summary>
    public Tensor LogProbs(SftBatch batch)
    {
        using var noGrad = no_grad();
        using var off = _adapter?.Disable();
        return DpoForward.LogProbs(_scorer, batch);
    }

    public void Dispose()
    {
        if (_owned) _scorer.Dispose();
    }
}
