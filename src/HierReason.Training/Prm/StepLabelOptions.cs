namespace HierReason.Training.Prm;

/// <summary>
/// The knobs of Monte-Carlo step labelling, with seed 001's and Math-Shepherd's defaults: N solutions per item at T 0.8,
/// states from ⌊len·ratio_s⌋ on, each later step kept with probability ratio, K rollouts per state at T 0.7, top-p 0.8.
/// </summary>
public sealed record StepLabelOptions
{
    /// <summary>Solutions sampled per item (seed 001: 10; our default 4 keeps CPU runs short).</summary>
    public int Solutions { get; init; } = 4;
    public double SolutionTemperature { get; init; } = 0.8;
    public double SolutionTopP { get; init; } = 1.0;

    /// <summary>Rollouts per state (seed 001: 3; Math-Shepherd: N). Label quality vs K is measured by subsampling these.</summary>
    public int K { get; init; } = 4;
    public double RolloutTemperature { get; init; } = 0.7;
    public double RolloutTopP { get; init; } = 0.8;

    /// <summary>The first state is step ⌊steps·RatioS⌋ (0-based).</summary>
    public double RatioS { get; init; } = 0.2;
    /// <summary>Each step after the first state becomes a state with this probability (seeded per trajectory).</summary>
    public double Ratio { get; init; } = 0.3;
    /// <summary>Every step is a state (exact labels everywhere; the seed's sampling only saves compute on long traces).</summary>
    public bool AllSteps { get; init; }

    /// <summary>Most new tokens of a solution and of a rollout.</summary>
    public int MaxNewTokens { get; init; } = 256;
    public long Seed { get; init; }

    /// <summary>Throws <see cref="TrainingException"/> naming the option for values no run can honour.</summary>
    public void Validate()
    {
        if (Solutions < 1) throw new TrainingException($"--solutions: expected a positive integer; found {Solutions}");
        if (K < 1) throw new TrainingException($"--k: expected a positive integer; found {K}");
        if (!(RatioS is >= 0 and < 1)) throw new TrainingException($"--ratio-s: expected a number in [0, 1); found {RatioS}");
        if (!(Ratio is >= 0 and <= 1)) throw new TrainingException($"--ratio: expected a number in [0, 1]; found {Ratio}");
        if (MaxNewTokens < 1) throw new TrainingException($"--max-new-tokens: expected a positive integer; found {MaxNewTokens}");
        foreach (var (name, t) in new[] { ("--temperature", SolutionTemperature), ("--rollout-temperature", RolloutTemperature) })
            if (!(t >= 0) || double.IsInfinity(t)) throw new TrainingException($"{name}: expected a number ≥ 0; found {t}");
        foreach (var (name, p) in new[] { ("--top-p", SolutionTopP), ("--rollout-top-p", RolloutTopP) })
            if (!(p is > 0 and <= 1)) throw new TrainingException($"{name}: expected a number in (0, 1]; found {p}");
    }
}
