using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Grpo;

public class GrpoOptionsTests
{
    [Fact]
    public void Defaults_are_trls()
    {
        var o = new GrpoOptions();
        o.Validate();
        Assert.Equal(8, o.NumGenerations);
        Assert.Equal(LossType.Dapo, o.LossType);
        Assert.Equal(0.2, o.Epsilon);
        Assert.Null(o.EpsilonHigh);
        Assert.Equal(0.0, o.Beta);
        Assert.Equal(1, o.NumIterations);
        Assert.Equal(RewardScaling.Group, o.ScaleRewards);
        Assert.False(o.MaskTruncatedCompletions);
        Assert.Equal(1.0, o.Temperature);
        Assert.Equal(1.0, o.TopP);
        Assert.Equal(256, o.MaxCompletionLength);
        Assert.Equal(0.2, PolicyLossSettings.From(o).EpsilonHigh);
    }

    [Theory]
    [InlineData("num_generations")]
    [InlineData("epsilon")]
    [InlineData("beta")]
    [InlineData("num_iterations")]
    [InlineData("temperature")]
    [InlineData("top_p")]
    [InlineData("max_new_tokens")]
    [InlineData("overlong_cache_length")]
    public void Out_of_range_knobs_are_user_errors_naming_the_knob(string knob)
    {
        var bad = knob switch
        {
            "num_generations" => new GrpoOptions { NumGenerations = 1 },
            "epsilon" => new GrpoOptions { Epsilon = 1.5 },
            "beta" => new GrpoOptions { Beta = -0.1 },
            "num_iterations" => new GrpoOptions { NumIterations = 0 },
            "temperature" => new GrpoOptions { Temperature = 0 },
            "top_p" => new GrpoOptions { TopP = 0 },
            "max_new_tokens" => new GrpoOptions { MaxCompletionLength = 0 },
            _ => new GrpoOptions { MaxCompletionLength = 32, OverlongCacheLength = 32 },
        };
        var error = Assert.Throws<TrainingException>(bad.Validate);
        Assert.Contains(knob, error.Message);
    }
}
