using HierReason.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Engine.Lora;

/// <summary>
/// A linear projection with HF parameter names (<c>weight</c>, <c>bias</c>) that can carry a LoRA adapter
/// (<c>lora_A.weight</c>, <c>lora_B.weight</c>), so base checkpoints and PEFT adapters both load name-for-name.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private Linear? _loraA;
    private Linear? _loraB;
    private double _scaling;
    private double _dropout;

    public LoraLinear(long inFeatures, long outFeatures, bool hasBias, Device device, ScalarType dtype) : base(nameof(LoraLinear))
    {
        weight = new Parameter(empty(outFeatures, inFeatures, dtype: dtype, device: device));
        bias = hasBias ? new Parameter(zeros(outFeatures, dtype: dtype, device: device)) : null;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        RegisterComponents();
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public bool HasAdapter => _loraA is not null;
    /// <summary>When false the layer computes exactly the base projection (GRPO's reference model).</summary>
    public bool AdapterEnabled { get; set; } = true;
    /// <summary>True after <see cref="Merge"/>: the adapter's update lives in <c>weight</c>.</summary>
    public bool Merged { get; private set; }
    public Parameter LoraA => _loraA?.weight ?? throw new InvalidOperationException("no LoRA adapter attached");
    public Parameter LoraB => _loraB?.weight ?? throw new InvalidOperationException("no LoRA adapter attached");

    /// <summary>Adds a rank-<paramref name="rank"/> adapter: A kaiming-uniform (a = √5, as PEFT), B zero, so the output is unchanged until B trains.</summary>
    public void AttachAdapter(int rank, double alpha, double dropout, Generator? generator)
    {
        if (HasAdapter) throw new InvalidOperationException("a LoRA adapter is already attached");
        var device = weight.device;
        _loraA = nn.Linear(InFeatures, rank, hasBias: false, device: device, dtype: weight.dtype);
        _loraB = nn.Linear(rank, OutFeatures, hasBias: false, device: device, dtype: weight.dtype);
        using (no_grad())
        {
            // kaiming_uniform_(a=√5) on (r, in) reduces to U(−1/√in, 1/√in).
            var bound = 1.0 / Math.Sqrt(InFeatures);
            // Drawn on the CPU so a seed gives the same adapter on every device.
            using var initial = empty(rank, InFeatures, dtype: ScalarType.Float32).uniform_(-bound, bound, generator);
            _loraA.weight!.copy_(initial);
            _loraB.weight!.zero_();
        }
        _scaling = alpha / rank;
        _dropout = dropout;
        register_module("lora_A", _loraA);
        register_module("lora_B", _loraB);
        weight.requires_grad = false;
        if (bias is not null) bias.requires_grad = false;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var adapterActive = _loraA is not null && _loraB is not null && AdapterEnabled && !Merged;
        var y = (adapterActive || InFeatures * OutFeatures < SmallBatchLinear.MinWeightElements ? null : SmallBatchLinear.TryForward(x, weight, bias))
                ?? nn.functional.linear(x, weight, bias);                                     // (..., out)
        if (adapterActive)
        {
            var dropped = _dropout > 0 ? nn.functional.dropout(x, _dropout, training) : x;
            y = y + _loraB!.forward(_loraA!.forward(dropped)) * _scaling;                       // (..., out)
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Folds scaling·B·A into the base weight, so inference pays nothing for the adapter.</summary>
    public void Merge()
    {
        if (_loraA is null || _loraB is null || Merged) return;
        using var scope = NewDisposeScope();
        using (no_grad()) weight.add_(_loraB.weight!.matmul(_loraA.weight!) * _scaling);
        Merged = true;
    }

    /// <summary>Undoes <see cref="Merge"/> (up to rounding in low-precision dtypes).</summary>
    public void Unmerge()
    {
        if (_loraA is null || _loraB is null || !Merged) return;
        using var scope = NewDisposeScope();
        using (no_grad()) weight.sub_(_loraB.weight!.matmul(_loraA.weight!) * _scaling);
        Merged = false;
    }
}
