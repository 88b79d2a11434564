using HierReason.Core.Episodes;
using HierReason.Core.Steps;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Experiments;

namespace HierReason.Training.Grpo;

/// <summary>
/// <c>"advantage": "process"</c> for a rollout batch: the policy's lines mapped to completion tokens (<see cref="PolicyLines"/>)
/// → step rewards from <c>process_reward</c> (<see cref="IStepRewards"/>) plus the outcome as the last step
/// (<see cref="EpisodeSteps"/>) → per-token <see cref="ProcessAdvantages"/>.
/// </summary>
public sealed class ProcessSupervision(IStepRewards rewards, ITokenizer tokenizer, IReadOnlyCollection<int> stopIds) : IDisposable
{
    /// <summary>
    /// The step rewards <paramref name="settings"/> name: the oracle, after checking every one of <paramref name="tasks"/> has a
    /// step checker, or the PRM in the <c>process_reward</c> folder. <paramref name="stopIds"/> end a policy turn (they write no text).
    /// </summary>
    public static ProcessSupervision Create(GrpoSection settings, IEnumerable<string> tasks, ITokenizer tokenizer, IReadOnlyCollection<int> stopIds)
    {
        if (settings.ProcessReward == OracleStepRewards.Name)
        {
            var oracle = new OracleStepRewards(StepCheckerRegistry.Default);
            oracle.Require(tasks);
            return new ProcessSupervision(oracle, tokenizer, stopIds);
        }
        if (!File.Exists(Path.Combine(settings.ProcessReward, "config.json")))
            throw new TrainingException($"grpo: process_reward '{settings.ProcessReward}' is neither \"{OracleStepRewards.Name}\" nor a PRM folder (hierreason prm train --output)");
        return new ProcessSupervision(PrmStepRewards.Load(settings.ProcessReward), tokenizer, stopIds);
    }

    /// <summary>
    /// Per episode of the group-major <paramref name="episodes"/>, one advantage per completion token, from its steps' rewards
    /// and its outcome (<paramref name="totals"/>, the episode's total reward), scaled as <paramref name="options"/> say.
    /// </summary>
    public float[][] TokenAdvantages(IReadOnlyList<Episode> episodes, IReadOnlyList<double> totals, GrpoOptions options)
    {
        var lines = episodes.Select(e => PolicyLines.Of(e, tokenizer, stopIds)).ToArray();
        var lineRewards = rewards.Score(episodes, lines);
        var steps = episodes.Select((e, i) => EpisodeSteps.Of(e.CompletionTokenIds.Count, lines[i], lineRewards[i], totals[i])).ToArray();
        return ProcessAdvantages.Compute(steps, options.NumGenerations, options.ScaleRewards, options.NegativeAdvantageScale);
    }

    /// <summary>The mean of an episode's token advantages over its policy tokens (0 when it wrote none): one number per episode for logs and the update probe.</summary>
    public static double PolicyMean(float[] advantages, Episode episode)
    {
        var mask = episode.CompletionLossMask;
        double sum = 0;
        var count = 0;
        for (var t = 0; t < advantages.Length; t++)
            if (mask[t] == 1)
            {
                sum += advantages[t];
                count++;
            }
        return count == 0 ? 0.0 : sum / count;
    }

    public void Dispose() => (rewards as IDisposable)?.Dispose();
}
