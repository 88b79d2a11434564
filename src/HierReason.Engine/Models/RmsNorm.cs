using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Engine.Models;

/// <summary>Root-mean-square layer norm (Llama/Qwen2): normalises in float32 for stability, scales in the model dtype.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(long size, double eps, Device device, ScalarType dtype) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(size, dtype: dtype, device: device));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);                              // (..., C)
        var variance = x32.pow(2).mean([-1L], keepdim: true);             // (..., 1)
        var normed = (x32 * rsqrt(variance + _eps)).to(x.dtype);          // (..., C)
        return (weight * normed).MoveToOuterDisposeScope();
    }
}
