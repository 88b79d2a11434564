namespace HierReason.Training.Grpo;

/// <summary>
/// DeepSeekMath's process supervision (§4.1.3) over a group-major batch (B = groups × G): every step reward of a group is
/// normalised together, r̃ = (r − mean(group's step rewards)) / (std + 1e-4), the std taken (Bessel-corrected) over the
/// group's or the whole batch's step rewards, or not divided by, as <see cref="RewardScaling"/> says; then the advantage of
/// completion token t is the sum of r̃ over its episode's steps ending at or after t. Tokens after an episode's last step,
/// and every token of an episode without steps, get 0.
/// </summary>
public static class ProcessAdvantages
{
    /// <summary>Per episode, one advantage per completion token, negative ones multiplied by <paramref name="negativeScale"/>.</summary>
    public static float[][] Compute(IReadOnlyList<EpisodeSteps> episodes, int groupSize, RewardScaling scaling, double negativeScale = 1.0)
    {
        Check(episodes);
        var groups = GroupAdvantages.GroupCount(new double[episodes.Count], groupSize);
        var batchStd = scaling == RewardScaling.Batch ? Std(episodes.SelectMany(e => e.Steps).Select(s => s.Reward).ToArray()) : 0.0;
        var advantages = new float[episodes.Count][];
        for (var g = 0; g < groups; g++)
        {
            var members = Enumerable.Range(g * groupSize, groupSize).ToArray();
            var rewards = members.SelectMany(i => episodes[i].Steps).Select(s => s.Reward).ToArray();
            var mean = rewards.Length == 0 ? 0.0 : rewards.Average();
            var scale = scaling switch
            {
                RewardScaling.Group => Std(rewards) + GroupAdvantages.StdEpsilon,
                RewardScaling.Batch => batchStd + GroupAdvantages.StdEpsilon,
                RewardScaling.None => 1.0,
                _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, null),
            };
            foreach (var i in members) advantages[i] = Tokens(episodes[i], mean, scale, negativeScale);
        }
        return advantages;
    }

    /// <summary>The suffix sums of the episode's normalised step rewards, one per completion token.</summary>
    private static float[] Tokens(EpisodeSteps episode, double mean, double scale, double negativeScale)
    {
        // The normalised reward of each step lands on its end token; summing from the back gives Σ over steps ending at or after t.
        var atEnd = new double[episode.CompletionLength];
        foreach (var step in episode.Steps) atEnd[step.EndToken] += (step.Reward - mean) / scale;
        var tokens = new float[episode.CompletionLength];
        var sum = 0.0;
        for (var t = episode.CompletionLength - 1; t >= 0; t--)
        {
            sum += atEnd[t];
            tokens[t] = (float)(sum < 0 ? sum * negativeScale : sum);
        }
        return tokens;
    }

    private static void Check(IReadOnlyList<EpisodeSteps> episodes)
    {
        for (var i = 0; i < episodes.Count; i++)
        {
            var e = episodes[i];
            if (e.CompletionLength < 0) throw new ArgumentException($"episode {i} has a negative completion length", nameof(episodes));
            foreach (var step in e.Steps)
            {
                if (step.EndToken < 0 || step.EndToken >= e.CompletionLength)
                    throw new ArgumentException($"episode {i}: a step ends at token {step.EndToken}, outside its {e.CompletionLength} completion tokens", nameof(episodes));
                if (!double.IsFinite(step.Reward)) throw new ArgumentException($"episode {i}: a step reward is {step.Reward}", nameof(episodes));
            }
        }
    }

    private static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0.0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
