namespace HierReason.Training.Diagnostics;

/// <summary>
/// How much of a training step's gradient is signal, from K gradients of independent batches of the same size B taken at
/// the same weights (McCandlish et al. 2018, "An Empirical Model of Large-Batch Training"). Each batch gradient is
/// g_k = G + ε_k with E ε_k = 0 and E |ε_k|² = tr Σ_B, so the mean pairwise dot product P = mean_{j&lt;k} g_j·g_k estimates
/// |G|² without bias and the mean squared norm S = mean_k |g_k|² estimates |G|² + tr Σ_B. From them: the signal share of one
/// step's squared norm P / S, and the simple noise scale B_noise = B (S − P) / P, in the units of B: the batch at which a
/// step's noise equals its signal (below it, steps are mostly noise and the learning rate must shrink in proportion).
/// For a sign-like optimiser (Adam's early steps move every weight by about the learning rate) the telling figure is
/// per weight: how often the sign of one batch's gradient agrees with the sign of the other batches' mean (0.5 is a coin
/// flip; 1 is pure signal).
/// </summary>
public static class GradientNoise
{
    /// <summary>Estimates from <paramref name="gradients"/> (K ≥ 2 flattened gradients of equal length) of batches of <paramref name="batchSize"/>.</summary>
    public static GradientNoiseEstimate Estimate(IReadOnlyList<float[]> gradients, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count < 2) throw new ArgumentException("at least two gradients are needed to separate signal from noise", nameof(gradients));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "the batch size must be positive");
        var k = gradients.Count;
        var n = gradients[0].Length;
        if (n == 0 || gradients.Any(g => g.Length != n)) throw new ArgumentException("the gradients must be non-empty and of one length", nameof(gradients));

        var dots = new double[k, k];
        for (var a = 0; a < k; a++)
            for (var b = a; b < k; b++)
            {
                var dot = Dot(gradients[a], gradients[b]);
                dots[a, b] = dot;
                dots[b, a] = dot;
            }
        var squared = Enumerable.Range(0, k).Select(a => dots[a, a]).ToArray();
        var pairs = new List<double>();
        for (var a = 0; a < k; a++)
            for (var b = a + 1; b < k; b++) pairs.Add(dots[a, b]);
        var meanSquared = squared.Average();
        var signal = pairs.Average();
        var cosines = new List<double>();
        for (var a = 0; a < k; a++)
            for (var b = a + 1; b < k; b++)
                cosines.Add(squared[a] > 0 && squared[b] > 0 ? dots[a, b] / Math.Sqrt(squared[a] * squared[b]) : 0);

        // Jackknife over batches: the signal estimate with each batch left out, for its standard error.
        var leaveOut = new double[k];
        if (k >= 3)
            for (var skip = 0; skip < k; skip++)
            {
                var (sum, count) = (0.0, 0);
                for (var a = 0; a < k; a++)
                    for (var b = a + 1; b < k; b++)
                        if (a != skip && b != skip) (sum, count) = (sum + dots[a, b], count + 1);
                leaveOut[skip] = sum / count;
            }
        var leaveOutMean = leaveOut.Average();
        double? signalSe = k >= 3 ? Math.Sqrt((k - 1.0) / k * leaveOut.Sum(v => (v - leaveOutMean) * (v - leaveOutMean))) : null;

        var noiseTrace = Math.Max(0, meanSquared - signal);
        double? noiseScale = signal > 0 ? batchSize * noiseTrace / signal : null;
        // A lower bound on the noise scale when the signal is not resolved: the signal is at most its estimate plus 2 SE.
        var signalBound = signalSe is { } se ? signal + 2 * se : (double?)null;
        double? noiseScaleLowerBound = signalBound is > 0 ? batchSize * Math.Max(0, meanSquared - signalBound.Value) / signalBound.Value : null;

        return new GradientNoiseEstimate(
            Batches: k,
            BatchSize: batchSize,
            Parameters: n,
            MeanSquaredNorm: meanSquared,
            SignalSquaredNorm: signal,
            SignalSquaredNormSe: signalSe,
            NoiseTrace: noiseTrace,
            SignalShare: meanSquared > 0 ? signal / meanSquared : 0,
            MeanPairwiseCosine: cosines.Average(),
            NoiseScale: noiseScale,
            NoiseScaleLowerBound: noiseScaleLowerBound,
            SignAgreement: SignAgreement(gradients));
    }

    /// <summary>
    /// Over weights with a nonzero gradient, the fraction where batch k's sign equals the sign of the other batches' mean,
    /// averaged over k.
    /// </summary>
    public static double SignAgreement(IReadOnlyList<float[]> gradients)
    {
        var k = gradients.Count;
        var n = gradients[0].Length;
        var total = new double[n];
        foreach (var g in gradients)
            for (var i = 0; i < n; i++) total[i] += g[i];
        long agree = 0, counted = 0;
        foreach (var g in gradients)
            for (var i = 0; i < n; i++)
            {
                var others = total[i] - g[i];
                if (g[i] == 0 || others == 0) continue;
                counted++;
                if ((g[i] > 0) == (others > 0)) agree++;
            }
        return counted == 0 ? 0.5 : agree / (double)counted;
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}

/// <summary>
/// What <see cref="GradientNoise.Estimate"/> found. Norms are of the flattened gradient; <see cref="NoiseScale"/> and its
/// bound are in the unit of <see cref="BatchSize"/> (completions for GRPO); null where the signal estimate is not positive.
/// </summary>
public sealed record GradientNoiseEstimate(
    int Batches,
    int BatchSize,
    int Parameters,
    double MeanSquaredNorm,
    double SignalSquaredNorm,
    double? SignalSquaredNormSe,
    double NoiseTrace,
    double SignalShare,
    double MeanPairwiseCosine,
    double? NoiseScale,
    double? NoiseScaleLowerBound,
    double SignAgreement);
