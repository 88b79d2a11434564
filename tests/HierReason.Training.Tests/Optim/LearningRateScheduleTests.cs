using HierReason.Training.Optim;

namespace HierReason.Training.Tests.Optim;

public class LearningRateScheduleTests
{
    [Fact]
    public void Warmup_rises_linearly_to_the_peak()
    {
        var s = new LearningRateSchedule(1e-3, WarmupSteps: 4, TotalSteps: 14);
        Assert.Equal(0.25e-3, s.At(0), 12);
        Assert.Equal(0.50e-3, s.At(1), 12);
        Assert.Equal(1.00e-3, s.At(3), 12);
    }

    [Fact]
    public void Cosine_decays_from_the_peak_through_half_to_the_floor()
    {
        var s = new LearningRateSchedule(1e-3, WarmupSteps: 4, TotalSteps: 14, MinRatio: 0.1);
        Assert.Equal(1e-3, s.At(4), 12);                                   // progress 0
        Assert.Equal(1e-4 + 0.9e-3 * 0.5, s.At(9), 12);                    // progress 0.5: cos = 0
        Assert.Equal(1e-4 + 0.9e-3 * 0.5 * (1 + Math.Cos(Math.PI * 0.2)), s.At(6), 12);
        Assert.Equal(1e-4, s.At(14), 12);
        Assert.Equal(1e-4, s.At(100), 12);
    }

    [Fact]
    public void Without_warmup_the_first_step_uses_the_peak()
        => Assert.Equal(2e-3, new LearningRateSchedule(2e-3, 0, 10).At(0), 12);
}
