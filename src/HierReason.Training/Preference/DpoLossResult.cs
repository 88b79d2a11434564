using static TorchSharp.torch;

namespace HierReason.Training.Preference;

/// <summary>The DPO loss of a batch (a scalar with the policy's graph) and its metrics.</summary>
public sealed class DpoLossResult(Tensor loss, DpoMetrics metrics) : IDisposable
{
    public Tensor Loss { get; } = loss;
    public DpoMetrics Metrics { get; } = metrics;

    public void Dispose() => Loss.Dispose();
}
