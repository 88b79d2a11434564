namespace HierReason.Training.Grpo;

/// <summary>
/// GRPO advantages from rewards laid out group-major (B = groups × G, each prompt's G completions together):
/// A = r − mean(group), divided by (std + 1e-4) with the Bessel-corrected std of the group or of the whole batch, or left unscaled.
/// </summary>
public static class GroupAdvantages
{
    /// <summary>Added to the std so that a group of equal rewards gives advantages of 0, not NaN.</summary>
    public const double StdEpsilon = 1e-4;

    public static double[] Compute(IReadOnlyList<double> rewards, int groupSize, RewardScaling scaling)
    {
        var groups = GroupCount(rewards, groupSize);
        var advantages = new double[rewards.Count];
        var batchStd = scaling == RewardScaling.Batch ? Std(rewards, 0, rewards.Count) : 0.0;
        for (var g = 0; g < groups; g++)
        {
            var start = g * groupSize;
            var mean = Mean(rewards, start, groupSize);
            var scale = scaling switch
            {
                RewardScaling.Group => Std(rewards, start, groupSize) + StdEpsilon,
                RewardScaling.Batch => batchStd + StdEpsilon,
                RewardScaling.None => 1.0,
                _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, null),
            };
            for (var i = start; i < start + groupSize; i++) advantages[i] = (rewards[i] - mean) / scale;
        }
        return advantages;
    }

    /// <summary>The advantages with every negative one multiplied by <paramref name="negativeScale"/> (1: unchanged).</summary>
    public static double[] ScaleNegatives(IReadOnlyList<double> advantages, double negativeScale) =>
        advantages.Select(a => a < 0 ? a * negativeScale : a).ToArray();

    /// <summary>Each group's Bessel-corrected reward std (0 for a group of one).</summary>
    public static double[] GroupStds(IReadOnlyList<double> rewards, int groupSize)
    {
        var groups = GroupCount(rewards, groupSize);
        var stds = new double[groups];
        for (var g = 0; g < groups; g++) stds[g] = Std(rewards, g * groupSize, groupSize);
        return stds;
    }

    internal static int GroupCount(IReadOnlyList<double> rewards, int groupSize)
    {
        if (groupSize < 1) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "group size must be at least 1");
        if (rewards.Count % groupSize != 0)
            throw new ArgumentException($"{rewards.Count} rewards do not split into groups of {groupSize}", nameof(rewards));
        return rewards.Count / groupSize;
    }

    private static double Mean(IReadOnlyList<double> values, int start, int count)
    {
        var sum = 0.0;
        for (var i = start; i < start + count; i++) sum += values[i];
        return sum / count;
    }

    private static double Std(IReadOnlyList<double> values, int start, int count)
    {
        if (count < 2) return 0.0;
        var mean = Mean(values, start, count);
        var squares = 0.0;
        for (var i = start; i < start + count; i++) squares += (values[i] - mean) * (values[i] - mean);
        return Math.Sqrt(squares / (count - 1));
    }
}
