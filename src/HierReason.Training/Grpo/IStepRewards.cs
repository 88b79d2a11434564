using HierReason.Core.Episodes;

namespace HierReason.Training.Grpo;

/// <summary>Where process advantages get their step rewards: a reward for each line of the policy's text that is a step, null for the others.</summary>
public interface IStepRewards
{
    /// <summary>Per episode, one entry per line of its <paramref name="lines"/>: the step's reward, or null where the line is not a step.</summary>
    IReadOnlyList<IReadOnlyList<double?>> Score(IReadOnlyList<Episode> episodes, IReadOnlyList<PolicyLines> lines);
}
