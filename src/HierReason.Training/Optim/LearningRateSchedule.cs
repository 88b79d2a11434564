namespace HierReason.Training.Optim;

/// <summary>
/// Linear warm-up from 0 to the peak over <see cref="WarmupSteps"/>, then cosine decay to <c>peak × MinRatio</c> at
/// <see cref="TotalSteps"/>; a pure function of the step, so a resumed run needs only the step to continue.
/// </summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps, double MinRatio = 0.0)
{
    /// <summary>The rate for optimiser step <paramref name="step"/> (0-based: the first update uses step 0).</summary>
    public double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        // (step + 1) so the first warm-up update is not wasted at lr 0.
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        var decaySteps = TotalSteps - WarmupSteps;
        if (decaySteps <= 0) return Peak;
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        var floor = Peak * MinRatio;
        return floor + (Peak - floor) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }
}
