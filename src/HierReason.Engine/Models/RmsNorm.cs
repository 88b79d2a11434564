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
        // Float32 input is normalised as it is; other dtypes make one round trip through float32.
        var x32 = x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);                  // (..., C)
        var inverse = x32.square().mean([-1L], keepdim: true).add_(_eps).rsqrt_();              // (..., 1)
        var normed = x32 * inverse;                                                             // (..., C)
        if (x.dtype != ScalarType.Float32) normed = normed.to(x.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }
}
