namespace HierReason.Training.Grpo;

/// <summary>The rewarded steps of one episode, in any order, and its completion length in tokens (every actor's).</summary>
public sealed record EpisodeSteps(int CompletionLength, IReadOnlyList<StepReward> Steps)
{
    /// <summary>An episode without rewarded steps: every token's process advantage is 0.</summary>
    public static EpisodeSteps None(int completionLength) => new(completionLength, []);

    /// <summary>
    /// The steps of <paramref name="lines"/> that <paramref name="lineRewards"/> rewards (at the token ending each line), then
    /// the outcome as the last step, ending at the last completion token: DeepSeekMath's last step is the answer.
    /// </summary>
    public static EpisodeSteps Of(int completionLength, PolicyLines lines, IReadOnlyList<double?> lineRewards, double outcome)
    {
        if (lineRewards.Count != lines.Lines.Length) throw new ArgumentException($"{lineRewards.Count} rewards for {lines.Lines.Length} lines", nameof(lineRewards));
        if (completionLength == 0) return None(0);
        var steps = new List<StepReward>();
        for (var i = 0; i < lineRewards.Count; i++)
            if (lineRewards[i] is { } reward && lines.EndTokens[i] >= 0) steps.Add(new StepReward(reward, lines.EndTokens[i]));
        steps.Add(new StepReward(outcome, completionLength - 1));
        return new EpisodeSteps(completionLength, steps);
    }
}
