using HierReason.Training.Diagnostics;

namespace HierReason.Training.Tests.Diagnostics;

/// <summary>The noise-scale estimator on gradients whose signal and noise are known by construction.</summary>
public class GradientNoiseTests
{
    /// <summary>K gradients G + ε_k, ε ~ N(0, σ²) per weight, with G = <paramref name="signal"/> on every weight.</summary>
    private static float[][] Gradients(int k, int n, double signal, double sigma, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(signal + sigma * Normal(random))).ToArray()).ToArray();
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Signal_noise_and_the_noise_scale_match_the_construction()
    {
        // |G|² = n·0.01² = 2; tr Σ_B = n·0.05² = 50; B = 128, so B_noise = 128 · 50 / 2 = 3200 and the signal share 2 / 52.
        const int n = 20_000;
        var estimate = GradientNoise.Estimate(Gradients(8, n, 0.01, 0.05, seed: 1), batchSize: 128);
        Assert.Equal((8, 128, n), (estimate.Batches, estimate.BatchSize, estimate.Parameters));
        Assert.Equal(52, estimate.MeanSquaredNorm, 52 * 0.02);
        Assert.Equal(2.0, estimate.SignalSquaredNorm, 0.3);
        Assert.NotNull(estimate.SignalSquaredNormSe);
        Assert.InRange(estimate.SignalSquaredNormSe!.Value, 0.01, 0.5);
        Assert.Equal(50, estimate.NoiseTrace, 50 * 0.03);
        Assert.Equal(2.0 / 52, estimate.SignalShare, 0.006);
        Assert.Equal(2.0 / 52, estimate.MeanPairwiseCosine, 0.006);
        Assert.InRange(estimate.NoiseScale!.Value, 3200 / 1.2, 3200 * 1.2);
        // One draw (signal 0.2 σ) vs the mean of the seven others (0.2 √7 σ): Φ(0.2)Φ(0.529) + (1 − Φ(0.2))(1 − Φ(0.529)) = 0.532.
        Assert.Equal(0.532, estimate.SignAgreement, 0.006);
    }

    [Fact]
    public void Identical_gradients_are_all_signal_and_pure_noise_agrees_by_chance()
    {
        var same = Enumerable.Repeat(Enumerable.Range(1, 1000).Select(i => (float)Math.Sin(i)).ToArray(), 4).ToArray();
        var clean = GradientNoise.Estimate(same, batchSize: 16);
        Assert.Equal(1.0, clean.SignalShare, 9);
        Assert.Equal(0.0, clean.NoiseScale!.Value, 9);
        Assert.Equal(1.0, clean.SignAgreement);
        Assert.Equal(1.0, clean.MeanPairwiseCosine, 6);

        var noise = GradientNoise.Estimate(Gradients(6, 50_000, 0, 1, seed: 2), batchSize: 128);
        Assert.InRange(noise.SignAgreement, 0.49, 0.51);
        Assert.InRange(noise.SignalShare, -0.02, 0.02);
        // The signal is not resolved: the estimate is within 2 SE of zero, so only a bound is meaningful, and it is large.
        Assert.True(Math.Abs(noise.SignalSquaredNorm) < 2 * noise.SignalSquaredNormSe!.Value);
        Assert.True(noise.NoiseScaleLowerBound is null or > 128 * 20, $"bound {noise.NoiseScaleLowerBound}");
    }

    [Fact]
    public void Too_few_or_mismatched_gradients_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GradientNoise.Estimate([new float[3]], 8));
        Assert.Throws<ArgumentException>(() => GradientNoise.Estimate([new float[3], new float[4]], 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientNoise.Estimate([new float[3], new float[3]], 0));
    }
}
