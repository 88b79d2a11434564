namespace HierReason.Training.Grpo;

/// <summary>
/// GRPO's knobs, named and defaulted as TRL's <c>GRPOConfig</c> (current release) unless a comment says otherwise.
/// The DAPO extras (dynamic sampling, overlong punishment) are not TRL config fields and are off by default.
/// </summary>
public sealed record GrpoOptions
{
    /// <summary>G, completions sampled per prompt. TRL: 8. At least 2, since a group of one has no spread to learn from.</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Loss aggregation. TRL: <c>dapo</c> (active tokens over the accumulated batch, no length bias).</summary>
    public LossType LossType { get; init; } = LossType.Dapo;

    /// <summary>ε_low: the ratio is clipped below at 1 − ε. TRL: 0.2.</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>ε_high: the ratio is clipped above at 1 + ε_high. TRL: null, meaning ε (DAPO's clip-higher recommends 0.28).</summary>
    public double? EpsilonHigh { get; init; }

    /// <summary>β, the k3 KL weight. TRL: 0.0, so no reference model is scored.</summary>
    public double Beta { get; init; }

    /// <summary>
    /// Seed 000's full categorical KL over a restricted choice's options (a taxonomy chooser's labels): the weight of
    /// KL(π_ref ‖ π_θ), summed over the allowed ids at every restricted position and averaged over those positions,
    /// against the reference model (as β's). 0 (the default) scores nothing more; seed 000 used 0.1 against its old policy.
    /// </summary>
    public double LabelKl { get; init; }

    /// <summary>μ, optimisation passes per generated batch. TRL: 1 (then the old logprobs are the current ones, detached).</summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>Reward scaling for advantages. TRL: <c>group</c> (Dr. GRPO recommends <c>none</c>).</summary>
    public RewardScaling ScaleRewards { get; init; } = RewardScaling.Group;

    /// <summary>Drop every token of a truncated completion from the loss (DAPO). TRL: false.</summary>
    public bool MaskTruncatedCompletions { get; init; }

    /// <summary>Keep only groups with non-zero reward variance (DAPO). Not a TRL field; off, matching TRL's behaviour.</summary>
    public bool DynamicSampling { get; init; }

    /// <summary>Sampling temperature of rollouts (and of scoring). TRL: 1.0.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling of rollouts. TRL: 1.0 (off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>
    /// Token budget of a completion. TRL: 256. Kept: the tiny byte-level models spend one token per character, and
    /// the tasks' gold traces fit in 256 bytes.
    /// </summary>
    public int MaxCompletionLength { get; init; } = 256;

    /// <summary>
    /// DAPO's L_cache for the <c>overlong</c> reward. Deviation: DAPO uses 4096 of 20480 tokens (20%); for the tiny
    /// models' 256-token budget we use 64 (25%), so the soft punishment still spans a few dozen tokens.
    /// </summary>
    public int OverlongCacheLength { get; init; } = 64;

    /// <summary>
    /// Weight of negative advantages (completions worse than their group's mean). Not a TRL field; 1 is GRPO. Below 1 the
    /// update leans on reinforcing what worked (0: only positive samples, as reward-ranked fine-tuning does): pushing
    /// down sampled failures spreads probability over every other token and raised the tiny model's entropy (issue 18).
    /// </summary>
    public double NegativeAdvantageScale { get; init; } = 1.0;

    /// <summary>
    /// <c>advantage</c>: <c>outcome</c>, one advantage per completion (GRPO), or <c>process</c>, one per token from the
    /// normalised rewards of the steps ending at or after it (DeepSeekMath's process supervision). Not a TRL field; outcome is TRL's.
    /// </summary>
    public AdvantageKind Advantage { get; init; } = AdvantageKind.Outcome;

    /// <summary>Seed of rollout sampling; the same seed reproduces a step on CPU.</summary>
    public long Seed { get; init; }

    /// <summary>Whether a reference model is scored: β's k3 KL or the label KL.</summary>
    public bool NeedsReference => Beta != 0 || LabelKl != 0;

    /// <summary>Throws <see cref="TrainingException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        if (NumGenerations < 2) Fail("num_generations", "at least 2", NumGenerations);
        if (!(Epsilon > 0 && Epsilon < 1)) Fail("epsilon", "in (0, 1)", Epsilon);
        if (EpsilonHigh is { } high && !(high > 0 && double.IsFinite(high))) Fail("epsilon_high", "a positive number", high);
        if (!(Beta >= 0 && double.IsFinite(Beta))) Fail("beta", ">= 0", Beta);
        if (!(LabelKl >= 0 && double.IsFinite(LabelKl))) Fail("label_kl", ">= 0", LabelKl);
        if (!(NegativeAdvantageScale >= 0 && NegativeAdvantageScale <= 1)) Fail("negative_advantage_scale", "in [0, 1]", NegativeAdvantageScale);
        if (NumIterations < 1) Fail("num_iterations", "at least 1", NumIterations);
        if (!(Temperature > 0 && double.IsFinite(Temperature))) Fail("temperature", "> 0 (GRPO needs sampled, scoreable completions)", Temperature);
        if (!(TopP > 0 && TopP <= 1)) Fail("top_p", "in (0, 1]", TopP);
        if (MaxCompletionLength < 1) Fail("max_new_tokens", "at least 1", MaxCompletionLength);
        if (OverlongCacheLength < 1 || OverlongCacheLength >= MaxCompletionLength)
            Fail("overlong_cache_length", $"in [1, max_new_tokens = {MaxCompletionLength})", OverlongCacheLength);
    }

    private static void Fail(string knob, string expected, object found) =>
        throw new TrainingException($"grpo: {knob} must be {expected} (found {found})");
}
