using HierReason.Engine.Perf;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Perf;

public class MachineBaselineTests
{
    [Fact]
    public void Small_measurement_on_cpu_gives_positive_finite_rates()
    {
        var baseline = MachineBaseline.Measure(CPU, new BaselineSettings(MatmulSize: 64, CopyBytes: 1 << 20, Repeats: 2, BFloat16: true));
        Assert.Equal("cpu", baseline.Device);
        Assert.True(double.IsFinite(baseline.Float32FlopsPerSecond) && baseline.Float32FlopsPerSecond > 0);
        Assert.True(double.IsFinite(baseline.CopyBytesPerSecond) && baseline.CopyBytesPerSecond > 0);
        Assert.True(baseline.BFloat16FlopsPerSecond is null or > 0);
    }

    [Fact]
    public void Bfloat16_is_skipped_when_not_asked_for()
    {
        var baseline = MachineBaseline.Measure(CPU, new BaselineSettings(MatmulSize: 32, CopyBytes: 1 << 16, Repeats: 1, BFloat16: false));
        Assert.Null(baseline.BFloat16FlopsPerSecond);
        Assert.Equal(baseline.Float32FlopsPerSecond, baseline.MatmulFlopsPerSecond(bfloat16: true));
    }

    [Fact]
    public void Nonsense_settings_are_a_bug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MachineBaseline.Measure(CPU, new BaselineSettings(MatmulSize: 0)));
    }
}
