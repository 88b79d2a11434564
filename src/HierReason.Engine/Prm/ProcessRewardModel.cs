using HierReason.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Engine.Prm;

/// <summary>
/// A process reward model: the decoder trunk (HF <c>model.*</c>, the same weights a causal LM stores) and a token-classification
/// head <c>score</c> = Linear(hidden, num_labels) read at the separator ending each step, so every step of a trajectory is
/// scored by one forward pass (as TRL's PRMTrainer trains <c>Qwen2ForTokenClassification</c>).
/// </summary>
public sealed class ProcessRewardModel : nn.Module<Tensor, Tensor>
{
    private readonly DecoderModel model;
    private readonly Linear score;

    public ProcessRewardModel(PrmConfig config, DeviceSpec device) : base(nameof(ProcessRewardModel))
    {
        config.Validate();
        Config = config;
        Spec = device;
        model = new DecoderModel(config.Body, device.Device, device.DType);
        score = nn.Linear(config.Body.HiddenSize, config.NumLabels, hasBias: true, device: device.Device, dtype: device.DType);
        RegisterComponents();
    }

    public PrmConfig Config { get; }
    public DeviceSpec Spec { get; }
    public Device Device => Spec.Device;

    /// <summary>Class logits (B, T, L) at every position of unpadded or right-padded sequences starting at position 0.</summary>
    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var h = Hidden(inputIds);                                                              // (B, T, C)
        return score.forward(h).MoveToOuterDisposeScope();                                     // (B, T, L)
    }

    /// <summary>
    /// Class logits (N, L) at N chosen positions: row n is sequence <paramref name="rows"/>[n] at position <paramref name="positions"/>[n].
    /// Right padding needs no attention mask: under the causal mask no real token attends to a later (padding) one.
    /// </summary>
    /// <param name="inputIds">(B, T) int64 token ids, each sequence starting at position 0, padded on the right.</param>
    /// <param name="rows">(N) int64 batch index of each scored position.</param>
    /// <param name="positions">(N) int64 token index of each scored position (a step's last separator token).</param>
    public Tensor StepLogits(Tensor inputIds, Tensor rows, Tensor positions)
    {
        using var scope = NewDisposeScope();
        var h = Hidden(inputIds);                                                              // (B, T, C)
        var picked = h.index(new TensorIndex[] { TensorIndex.Tensor(rows), TensorIndex.Tensor(positions) });   // (N, C)
        return score.forward(picked).MoveToOuterDisposeScope();                                // (N, L)
    }

    private Tensor Hidden(Tensor inputIds)
    {
        var positionIds = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device)
            .unsqueeze(0).expand(inputIds.shape[0], -1);                                        // (B, T)
        return model.Forward(inputIds, positionIds, cache: null, mask: null);                  // (B, T, C)
    }
}
