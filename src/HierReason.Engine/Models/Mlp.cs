using HierReason.Engine.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>The SwiGLU feed-forward block: down_proj(silu(gate_proj(x)) · up_proj(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear gate_proj;
    private readonly LoraLinear up_proj;
    private readonly LoraLinear down_proj;

    public Mlp(ModelConfig config, Device device, ScalarType dtype) : base(nameof(Mlp))
    {
        gate_proj = new LoraLinear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        up_proj = new LoraLinear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        down_proj = new LoraLinear(config.IntermediateSize, config.HiddenSize, false, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x);             // (B, T, I)
        return down_proj.forward(gated).MoveToOuterDisposeScope();                             // (B, T, C)
    }
}
