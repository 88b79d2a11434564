using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>The scalar loss (with its graph, ready for backward) and the step's metrics.</summary>
public sealed record PolicyLossResult(Tensor Loss, PolicyLossMetrics Metrics) : IDisposable
{
    public void Dispose() => Loss.Dispose();
}
